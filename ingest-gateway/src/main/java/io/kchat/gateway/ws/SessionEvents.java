package io.kchat.gateway.ws;

import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.gateway.kafka.EventPublisher;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Tells the user side which sessions this node holds (D5): the processor answers a SessionOpened with the
 * device's replay through this node's egress, and routes the user's live events here until SessionClosed.
 */
final class SessionEvents {

    private final EventPublisher<String, UserCommand> userInbound;
    private final String nodeId;
    private final Clock clock;

    SessionEvents(EventPublisher<String, UserCommand> userInbound, String nodeId, Clock clock) {
        this.userInbound = userInbound;
        this.nodeId = nodeId;
        this.clock = clock;
    }

    CompletableFuture<?> opened(SessionIdentity who) {
        return userInbound.publish(who.userId(), new UserCommand(
                new SessionOpened(who.userId(), who.deviceId(), who.sessionId(), nodeId, clock.instant())));
    }

    CompletableFuture<?> closed(SessionIdentity who) {
        return userInbound.publish(who.userId(), new UserCommand(
                new SessionClosed(who.userId(), who.deviceId(), who.sessionId(), nodeId, clock.instant())));
    }
}
