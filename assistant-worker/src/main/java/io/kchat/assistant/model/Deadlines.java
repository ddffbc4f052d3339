package io.kchat.assistant.model;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The timeouts of one attempt, on the monotonic clock: until the first piece of the answer the first-token timeout
 * runs, after it the idle timeout from the latest event, and the whole answer's deadline always. The answering thread
 * never blocks on the socket: it waits for the next buffer at most {@link #remainingNanos()}, so a stalled server
 * cannot hold it past a deadline.
 */
final class Deadlines {

    private final LongSupplier nanoTime;
    private final long firstTokenDeadline;
    private final long idleNanos;
    private final long answerDeadline;
    private boolean started;
    private long lastEvent;

    Deadlines(LongSupplier nanoTime, Duration firstToken, Duration idle, long answerDeadline) {
        this.nanoTime = nanoTime;
        long now = nanoTime.getAsLong();
        this.firstTokenDeadline = now + firstToken.toNanos();
        this.idleNanos = idle.toNanos();
        this.answerDeadline = answerDeadline;
    }

    /** An event of the stream arrived; {@code progress}: it carried a piece of the answer (or of the model's thought). */
    void event(boolean progress) {
        if (progress) {
            started = true;
        }
        if (started) {
            lastEvent = nanoTime.getAsLong();
        }
    }

    /** Until the nearest deadline that applies now; zero or less when one has passed. */
    long remainingNanos() {
        return nearest() - nanoTime.getAsLong();
    }

    /** The failure of the deadline that passed. */
    AttemptFailure expired() {
        if (answerDeadline - nanoTime.getAsLong() <= 0) {
            // nothing is left of the answer's time: no other attempt could succeed
            return AttemptFailure.fatal(FailureKind.TIMEOUT, "the answer timeout passed");
        }
        return AttemptFailure.retryable(FailureKind.TIMEOUT,
                started ? "the idle timeout passed" : "the first-token timeout passed");
    }

    private long nearest() {
        long own = started ? lastEvent + idleNanos : firstTokenDeadline;
        return own - answerDeadline < 0 ? own : answerDeadline;
    }
}
