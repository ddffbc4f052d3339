package io.kchat.gateway.ws;

import java.time.Instant;

/**
 * Where this node's open sessions are written for the rest of the system (the {@code sessions} table): the
 * delivery-service routes typing and presence by it and counts who is online. Implementations must not block
 * the caller (it may be a Kafka callback) and must not throw: a directory failure never costs a socket.
 */
public interface SessionDirectory {

    /** Writes nothing: for tests of the endpoint alone. */
    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public void opened(String sessionId, String userId, String deviceId, Instant openedAt) {
        }

        @Override
        public void closed(String sessionId) {
        }
    };

    /** Called once SessionOpened was published. */
    void opened(String sessionId, String userId, String deviceId, Instant openedAt);

    /** Called once SessionClosed was published. */
    void closed(String sessionId);
}
