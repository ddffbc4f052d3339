package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings a socket on which nothing was written for the ping interval (and none is being written): finds dead peers,
 * whose sockets would otherwise stay registered because an abrupt disconnect calls no listener. A task on the
 * endpoint's shared timers rather than a thread of the socket's, so that an idle socket holds no thread (issue 6).
 */
final class QuietPing {

    private static final Logger log = LoggerFactory.getLogger(QuietPing.class);

    private final Outbound outbound;
    private final ScheduledExecutorService timers;
    private final long intervalNanos;
    private volatile long lastWrittenNanos = System.nanoTime();
    /** Guarded by this, with {@link #stopped}: a timer scheduled after the end would hold the socket. */
    private ScheduledFuture<?> timer;
    private boolean stopped;

    /** @param timers the endpoint's shared timers */
    QuietPing(Outbound outbound, ScheduledExecutorService timers, Duration interval) {
        this.outbound = outbound;
        this.timers = timers;
        this.intervalNanos = interval.toNanos();
    }

    void start() {
        written();
        schedule(intervalNanos);
    }

    /** A frame was written: the socket is not quiet. */
    void written() {
        lastWrittenNanos = System.nanoTime();
    }

    /** No more pings: the socket is closing or gone. */
    synchronized void stop() {
        stopped = true;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    private void pingIfQuiet() {
        if (outbound.isClosing()) {
            return;
        }
        boolean busy = outbound.isWriting();
        long quiet = System.nanoTime() - lastWrittenNanos;
        if (busy || quiet < intervalNanos) {
            schedule(busy ? intervalNanos : intervalNanos - quiet);
            return;
        }
        outbound.ping();
        schedule(intervalNanos);
    }

    private synchronized void schedule(long delayNanos) {
        if (stopped) {
            return;
        }
        try {
            timer = timers.schedule(this::pingIfQuiet, Math.max(1, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the endpoint is closed (after its drain): no socket is left to ping
            log.debug("timers stopped, not scheduling a ping for this socket");
        }
    }
}
