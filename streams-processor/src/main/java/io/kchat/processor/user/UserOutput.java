package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.PresenceChanged;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.user.UserSideOutput.DeliveredFrontier;
import io.kchat.processor.user.UserSideOutput.ForSessions;
import io.kchat.processor.user.UserSideOutput.PresenceChange;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What one user command emits, each output stamped with the input record's timestamp (D2), as its kind of
 * {@link UserSideOutput}: deliveries and presence keyed by the user, delivered frontiers keyed by their conversation.
 */
final class UserOutput {

    private final ProcessorContext<String, UserSideOutput> context;
    private final Record<String, UserCommand> record;
    private final String userId;

    UserOutput(ProcessorContext<String, UserSideOutput> context, Record<String, UserCommand> record) {
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
        forward(record.withValue(new ForSessions(new Delivery(userId, routes, item))));
    }

    void presence(boolean online, Instant at) {
        forward(record.withValue(new PresenceChange(new PresenceChanged(userId, online, at))));
    }

    void toConversation(String conversationId, InboundCommand command) {
        forward(record.withKey(conversationId).withValue(new DeliveredFrontier(command)));
    }

    /** The input's {@link Origin} means something on chat.user-inbound only; it does not travel further. */
    private void forward(Record<String, ? extends UserSideOutput> output) {
        output.headers().remove(Origin.HEADER);
        context.forward(output);
    }
}
