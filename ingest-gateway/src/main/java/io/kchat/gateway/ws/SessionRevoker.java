package io.kchat.gateway.ws;

import io.kchat.events.SessionsRevoked;
import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.sessions.SessionRevocations;
import io.kchat.gateway.kafka.EventPublisher;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends a revoked device's sockets wherever they are (D5): this node's at once, and every node's through the
 * user's partition, whose user side routes a SessionRevoked to the sessions it knows, so the gateway holding
 * one closes it with 4003. The revocation is already committed in PostgreSQL when this runs: a lost publish
 * leaves a socket open on another node only until its access token expires (REST refuses it already).
 */
public final class SessionRevoker implements SessionRevocations {

    private static final Logger log = LoggerFactory.getLogger(SessionRevoker.class);
    static final String REASON = "revoked";

    private final SessionRegistry sessions;
    private final EventPublisher<String, UserCommand> userInbound;
    private final Clock clock;

    public SessionRevoker(SessionRegistry sessions, EventPublisher<String, UserCommand> userInbound, Clock clock) {
        this.sessions = sessions;
        this.userInbound = userInbound;
        this.clock = clock;
    }

    @Override
    public void revokeDevice(String userId, String deviceId) {
        sessions.closeDevice(userId, deviceId, CloseCodes.REVOKED, "session revoked");
        userInbound.publish(userId, new UserCommand(new SessionsRevoked(userId, deviceId, null, REASON, clock.instant())))
                .whenComplete((sent, failure) -> {
                    if (failure != null) {
                        log.warn("revocation of device {} of user {} not published: other nodes keep its sockets"
                                + " until its access token expires", deviceId, userId, failure);
                    }
                });
    }
}
