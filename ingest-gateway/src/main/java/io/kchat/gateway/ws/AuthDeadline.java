package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A socket opened without an Authorization header has the auth timeout to send its {@code auth} frame; one that has
 * not authenticated by then is closed (4002), so that unauthenticated sockets cannot pile up.
 */
final class AuthDeadline {

    private final Duration timeout;
    private final ScheduledExecutorService timers;
    // guarded by this: a deadline set after stop() would hold the socket until it fires
    private ScheduledFuture<?> timer;
    private boolean stopped;

    AuthDeadline(Duration timeout, ScheduledExecutorService timers) {
        this.timeout = timeout;
        this.timers = timers;
    }

    synchronized void start(ClientSession session) {
        if (!stopped) {
            timer = timers.schedule(() -> expired(session), timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /** The socket authenticated, or ended. */
    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private static void expired(ClientSession session) {
        if (session.identity() == null) {
            session.close(CloseCodes.AUTH_TIMEOUT, "no auth frame in time");
        }
    }
}
