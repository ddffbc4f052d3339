package io.kchat.gateway.ws;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;

/**
 * One connection's timers on the endpoint's shared timer thread: the deadline of its first authentication
 * ({@link AuthDeadline}), the watch for silence ({@link IdleWatch}) and its token's expiry ({@link TokenExpiry}).
 * They stop together when the socket ends, and none is scheduled after that.
 */
final class ConnectionTimers {

    private final AuthDeadline authDeadline;
    private final IdleWatch idle;
    private final TokenExpiry expiry;

    /**
     * @param clock    the wall clock tokens expire by
     * @param nanoTime the monotonic clock silence is measured by
     */
    ConnectionTimers(ScheduledExecutorService timers, Clock clock, LongSupplier nanoTime, Duration authTimeout,
                     Duration idleTimeout) {
        this.authDeadline = new AuthDeadline(authTimeout, timers);
        this.idle = new IdleWatch(idleTimeout, timers, nanoTime);
        this.expiry = new TokenExpiry(timers, clock);
    }

    /** The socket was admitted: watched for silence and, unless its upgrade authenticated it, given its deadline. */
    void admitted(ClientSession session, boolean authenticated) {
        idle.start(session);
        if (!authenticated) {
            authDeadline.start(session);
        }
    }

    /** Something came from the client: a frame, a ping or a pong. */
    void heard() {
        idle.heard();
    }

    /** The session was registered: the deadline is met, and from now on the token's expiry is watched. */
    void authenticated(ClientSession session) {
        authDeadline.stop();
        expiry.start(session);
    }

    void stop() {
        authDeadline.stop();
        idle.stop();
        expiry.stop();
    }
}
