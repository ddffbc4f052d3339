package io.kchat.gateway.ws;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Closes an authenticated socket once its access token expired (4001): a socket is no way around the token's
 * lifetime. An {@code auth} frame of the same device may move the expiry ({@link ClientSession#extend}) after the
 * check was scheduled: the check then waits for the new expiry.
 */
final class TokenExpiry {

    private final ScheduledExecutorService timers;
    private final Clock clock;
    // guarded by this: a check scheduled after stop() would hold the socket for up to the token's lifetime
    private ScheduledFuture<?> timer;
    private boolean stopped;

    TokenExpiry(ScheduledExecutorService timers, Clock clock) {
        this.timers = timers;
        this.clock = clock;
    }

    void start(ClientSession session) {
        schedule(session, session.expiresAt());
    }

    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void check(ClientSession session) {
        Instant expiresAt = session.expiresAt();
        if (clock.instant().isBefore(expiresAt)) {
            schedule(session, expiresAt);
        } else {
            session.close(CloseCodes.AUTH_FAILED, "token expired");
        }
    }

    private synchronized void schedule(ClientSession session, Instant at) {
        if (!stopped) {
            long delay = Math.max(0, Duration.between(clock.instant(), at).toMillis());
            timer = timers.schedule(() -> check(session), delay, TimeUnit.MILLISECONDS);
        }
    }
}
