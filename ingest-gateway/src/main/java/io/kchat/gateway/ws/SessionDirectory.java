package io.kchat.gateway.ws;

import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/**
 * Where this node's open sessions are written for the rest of the system (the {@code sessions} table): the
 * delivery-service routes typing and presence by it, counts who is online and reaps the sessions of dead nodes.
 * Implementations must not block the caller (it may be a Kafka callback) and must not throw.
 */
public interface SessionDirectory {

    /** Writes nothing: for tests of the endpoint alone. */
    SessionDirectory NONE = new SessionDirectory() {
        @Override
        public CompletableFuture<Void> opened(String sessionId, String userId, String deviceId, Instant openedAt) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public String incarnation() {
            return "none";
        }

        @Override
        public void closed(String sessionId) {
        }
    };

    /**
     * Called before SessionOpened is published: completes once the session's row is durable, so that a session the
     * user side knows always has a row the reaper finds (guarantee 8). Fails when the directory stops first.
     */
    CompletableFuture<Void> opened(String sessionId, String userId, String deviceId, Instant openedAt);

    /** This process's lifetime of the node id, as its rows carry it; named by every session event. */
    String incarnation();

    /** Called once SessionClosed was published. */
    void closed(String sessionId);
}
