package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's {@code ack} frames (cumulative), so that a device acking every message does not become one
 * DeviceAck write (and one round of delivered receipts) per message.
 *
 * <p>Only the highest pending ack is kept. It is produced at once when the last produce is at least
 * {@code interval} old, else when the interval ends; one produce is in flight at a time, and what is pending
 * on close is produced at once. An ack at or below what is already durable (the device's cursor at replay
 * start, or an acked produce) is answered without a write: the cursor never moves backwards. A frame with a
 * ref is answered {@code ok} once the produce covering it was acked by the broker.
 *
 * <p>A zero interval turns coalescing off: every ack above the durable cursor is produced on its own.
 */
final class AckCoalescer {

    /** Produces DeviceAck up to {@code userSeq}; completes once the broker acked it. */
    @FunctionalInterface
    interface Publisher {
        CompletableFuture<?> publish(long userSeq);
    }

    private static final Logger log = LoggerFactory.getLogger(AckCoalescer.class);
    private static final String NOT_STORED = "ack not stored, please retry";

    private record Flush(long userSeq, PendingAnswers answers) {
    }

    private final Publisher publisher;
    private final Consumer<ServerFrame> out;
    private final ScheduledExecutorService timers;
    private final long intervalNanos;

    // guarded by this
    private long durable;
    private long inFlight;
    private PendingAnswers inFlightAnswers;
    private long pending;
    private PendingAnswers pendingAnswers = new PendingAnswers();
    private boolean flushedBefore;
    private long lastFlushNanos;
    private boolean timerSet;
    private boolean closed;

    AckCoalescer(Publisher publisher, Consumer<ServerFrame> out, ScheduledExecutorService timers, Duration interval) {
        this.publisher = publisher;
        this.out = out;
        this.timers = timers;
        this.intervalNanos = interval.toNanos();
    }

    /** The device's cursor as the user side reported it at replay start: acks up to it need no write. */
    synchronized void durableAt(long ackedUserSeq) {
        durable = Math.max(durable, ackedUserSeq);
    }

    /** The caller checked that {@code userSeq} is not above what the session was sent. */
    void ack(long userSeq, String ref) {
        Flush flush = null;
        boolean covered = false;
        synchronized (this) {
            if (userSeq <= durable) {
                covered = true;
            } else if (intervalNanos == 0) {
                flush = new Flush(userSeq, PendingAnswers.of(ref));
            } else if (userSeq <= inFlight) {
                inFlightAnswers.add(ref);
            } else {
                pending = Math.max(pending, userSeq);
                pendingAnswers.add(ref);
                flush = next();
            }
        }
        if (covered) {
            PendingAnswers.answer(out, ref);
        }
        publish(flush); // outside the lock: a send may wait for metadata
    }

    /** The socket ended: what is pending is produced now, not at the end of the interval. */
    void close() {
        Flush flush;
        synchronized (this) {
            closed = true;
            flush = next();
        }
        publish(flush);
    }

    /** Guarded by this: the produce to start now, or null (nothing pending, one in flight, or timer set). */
    private Flush next() {
        if (pending == 0 || inFlight != 0) {
            return null;
        }
        long now = System.nanoTime();
        long wait = flushedBefore ? lastFlushNanos + intervalNanos - now : 0;
        if (wait > 0 && !closed) {
            if (!timerSet && schedule(wait)) {
                timerSet = true;
            }
            if (timerSet) {
                return null;
            }
        }
        Flush flush = new Flush(pending, pendingAnswers);
        inFlight = pending;
        inFlightAnswers = pendingAnswers;
        pending = 0;
        pendingAnswers = new PendingAnswers();
        flushedBefore = true;
        lastFlushNanos = now;
        return flush;
    }

    private boolean schedule(long delayNanos) {
        try {
            // the timer thread is shared by every socket: the produce runs on a thread of its own
            timers.schedule(() -> Thread.startVirtualThread(this::timerFired), delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false; // shutting down: produce at once instead
        }
    }

    private void timerFired() {
        Flush flush;
        synchronized (this) {
            timerSet = false;
            flush = next();
        }
        publish(flush);
    }

    private void publish(Flush flush) {
        if (flush == null) {
            return;
        }
        CompletableFuture<?> written;
        try {
            written = publisher.publish(flush.userSeq());
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((result, error) -> completed(flush, error));
    }

    private void completed(Flush flush, Throwable error) {
        Flush next = null;
        synchronized (this) {
            if (error == null) {
                durable = Math.max(durable, flush.userSeq());
            }
            if (intervalNanos != 0) {
                inFlight = 0;
                inFlightAnswers = null;
                next = next();
            }
        }
        if (error == null) {
            flush.answers().succeeded(out);
        } else {
            // the device's cursor stays where it was: its events are replayed on reconnect, nothing is lost
            log.warn("cannot publish DeviceAck up to userSeq {}", flush.userSeq(), error);
            flush.answers().failed(out, NOT_STORED);
        }
        if (next != null) {
            Flush following = next;
            // this runs on the producer's callback thread, which must not wait for anything
            Thread.startVirtualThread(() -> publish(following));
        }
    }
}
