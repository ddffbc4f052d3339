package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Closes a socket from which nothing was heard (no frame, no ping, no pong) for the idle timeout (4008): a peer that
 * vanished calls no listener. Halfway through, a quiet client is pinged: a live one answers with a pong, even one that
 * only listens while the server sends a lot.
 */
final class IdleWatch {

    private final long timeoutNanos;
    private final ScheduledExecutorService timers;
    private final LongSupplier nanoTime;
    private volatile long lastHeardNanos;
    // guarded by this: a check scheduled after stop() would hold the socket until it runs
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** @param nanoTime a monotonic clock, {@code System::nanoTime} but in tests */
    IdleWatch(Duration timeout, ScheduledExecutorService timers, LongSupplier nanoTime) {
        this.timeoutNanos = timeout.toNanos();
        this.timers = timers;
        this.nanoTime = nanoTime;
        this.lastHeardNanos = nanoTime.getAsLong();
    }

    void start(ClientSession session) {
        heard();
        schedule(session, timeoutNanos / 2);
    }

    void heard() {
        lastHeardNanos = nanoTime.getAsLong();
    }

    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
        }
    }

    private void check(ClientSession session) {
        long quiet = nanoTime.getAsLong() - lastHeardNanos;
        if (quiet >= timeoutNanos) {
            session.close(CloseCodes.IDLE, "idle: nothing heard from the client");
            return;
        }
        long half = timeoutNanos / 2;
        if (quiet >= half) {
            session.ping();
            schedule(session, timeoutNanos - quiet);
        } else {
            schedule(session, half - quiet);
        }
    }

    private synchronized void schedule(ClientSession session, long delayNanos) {
        if (!stopped) {
            timer = timers.schedule(() -> check(session), Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        }
    }
}
