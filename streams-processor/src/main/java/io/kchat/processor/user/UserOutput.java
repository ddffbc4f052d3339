package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.PresenceChanged;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.processor.headers.Origin;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What one user command emits, each output stamped with the input record's timestamp (D2):
 * deliveries and presence keyed by the user, delivered frontiers keyed by their conversation.
 */
final class UserOutput {

    private final ProcessorContext<String, Object> context;
    private final Record<String, UserCommand> record;
    private final String userId;

    UserOutput(ProcessorContext<String, Object> context, Record<String, UserCommand> record) {
        this.context = context;
        this.record = record;
        this.userId = record.key();
    }

    String userId() {
        return userId;
    }

    Instant recordTime() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    void deliver(List<SessionRoute> routes, Object item) {
        forward(record.withValue(new Delivery(userId, routes, item)));
    }

    void presence(boolean online, Instant at) {
        forward(record.withValue(new PresenceChanged(userId, online, at)));
    }

    void toConversation(String conversationId, InboundCommand command) {
        forward(record.withKey(conversationId).withValue(command));
    }

    /** The input's {@link Origin} means something on chat.user-inbound only; it does not travel further. */
    private void forward(Record<String, ?> output) {
        output.headers().remove(Origin.HEADER);
        context.forward(output);
    }
}
