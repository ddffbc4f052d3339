package io.kchat.gateway.ws;

import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.gateway.kafka.EventPublisher;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;

/**
 * Tells the user side which sessions this node holds (D5): the processor answers a SessionOpened with the
 * device's replay through this node's egress, and routes the user's live events here until SessionClosed. Every
 * event names this process's incarnation, so that the user side can drop the sessions an earlier process of the
 * same node id left behind, and a check ({@link SessionChecks}) asks the user side to repair what it lost.
 */
final class SessionEvents {

    private final EventPublisher<String, UserCommand> userInbound;
    private final String nodeId;
    private final String incarnation;
    private final Clock clock;

    SessionEvents(EventPublisher<String, UserCommand> userInbound, String nodeId, String incarnation, Clock clock) {
        this.userInbound = userInbound;
        this.nodeId = nodeId;
        this.incarnation = incarnation;
        this.clock = clock;
    }

    CompletableFuture<?> opened(SessionIdentity who) {
        return userInbound.publish(who.userId(), new UserCommand(new SessionOpened(who.userId(), who.deviceId(),
                who.sessionId(), nodeId, clock.instant(), incarnation)));
    }

    CompletableFuture<?> closed(SessionIdentity who) {
        return userInbound.publish(who.userId(), new UserCommand(
                new SessionClosed(who.userId(), who.deviceId(), who.sessionId(), nodeId, clock.instant())));
    }

    CompletableFuture<?> check(ClientSession.SessionCheck check) {
        SessionIdentity who = check.who();
        return userInbound.publish(who.userId(), new UserCommand(new io.kchat.events.SessionCheck(who.userId(),
                who.deviceId(), who.sessionId(), nodeId, incarnation, check.synced(), check.receivedUpTo(),
                clock.instant())));
    }
}
