package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.PresenceChanged;
import io.kchat.events.PushDue;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.user.UserSideOutput.DeliveredFrontier;
import io.kchat.processor.user.UserSideOutput.ForNode;
import io.kchat.processor.user.UserSideOutput.PresenceChange;
import io.kchat.processor.user.UserSideOutput.PushOwed;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * What one user command emits, each output stamped with the input record's timestamp (D2), as its kind of
 * {@link UserSideOutput}: deliveries (one per node holding sessions of the user) and presence keyed by the user,
 * delivered frontiers keyed by their conversation, pushes due keyed by the user.
 */
final class UserOutput {

    private final ProcessorContext<String, UserSideOutput> context;
    private final Record<String, UserCommand> record;
    private final String userId;
    private final NodeEgress egress;
    private final UserMetrics metrics;

    UserOutput(ProcessorContext<String, UserSideOutput> context, Record<String, UserCommand> record, NodeEgress egress,
               UserMetrics metrics) {
        this.context = context;
        this.record = record;
        this.userId = record.key();
        this.egress = egress;
        this.metrics = metrics;
    }

    /**
     * The output of a punctuation at stream time {@code time} for {@code userId}: stamped {@code time}, without
     * headers (no input record caused it).
     */
    static UserOutput at(ProcessorContext<String, UserSideOutput> context, String userId, long time, NodeEgress egress,
                         UserMetrics metrics) {
        return new UserOutput(context, new Record<>(userId, null, time), egress, metrics);
    }

    String userId() {
        return userId;
    }

    Instant recordTime() {
        return Instant.ofEpochMilli(record.timestamp());
    }

    /**
     * {@code item} to the sessions of {@code routes}: one delivery per node, in the order the nodes first appear,
     * each naming only that node's sessions; nodes without an egress topic are skipped.
     */
    void deliver(List<SessionRoute> routes, Object item) {
        Map<String, List<SessionRoute>> byNode = new LinkedHashMap<>();
        for (SessionRoute route : routes) {
            byNode.computeIfAbsent(route.getNodeId(), node -> new ArrayList<>()).add(route);
        }
        byNode.forEach((node, nodeRoutes) -> {
            if (egress.exists(node)) {
                forward(record.withValue(new ForNode(new Delivery(userId, nodeRoutes, item))));
            } else {
                metrics.routeDropped();
            }
        });
    }

    void presence(boolean online, Instant at) {
        forward(record.withValue(new PresenceChange(new PresenceChanged(userId, online, at))));
    }

    void toConversation(String conversationId, InboundCommand command) {
        forward(record.withKey(conversationId).withValue(new DeliveredFrontier(command)));
    }

    void push(PushDue due) {
        forward(record.withValue(new PushOwed(due)));
    }

    /** The input's {@link Origin} means something on chat.user-inbound only; it does not travel further. */
    private void forward(Record<String, ? extends UserSideOutput> output) {
        output.headers().remove(Origin.HEADER);
        context.forward(output);
    }
}
