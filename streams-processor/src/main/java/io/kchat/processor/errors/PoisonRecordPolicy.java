package io.kchat.processor.errors;

import io.kchat.processor.errors.DeadLetterMetrics.FailureStage;
import java.util.Objects;

/**
 * How the processor answers an input record that fails: a record that throws while it is processed is retried until
 * it has failed {@code maxAttempts} times, then set aside in the dead-letter topic so that its partition goes on; a
 * record that cannot be decoded is set aside at once, since no attempt can decode it.
 *
 * <p>A retry is Kafka Streams' own: the handler answers FAIL, the stream thread dies and is replaced (the uncaught
 * exception handler's REPLACE_THREAD), and under exactly-once the task's transaction is aborted and the new thread
 * processes the partition again from its last commit, the failed record included. The attempts are counted here, in
 * memory ({@link RecordAttempts} says why that is enough).
 *
 * <p>One instance per {@code KafkaStreams}, shared by the exception handlers of all its tasks: Kafka Streams creates
 * a handler per task and configures it with the application's config, where {@link #CONFIG} carries this instance.
 */
public final class PoisonRecordPolicy {

    /** The Streams config entry carrying the application's policy to its handlers (not a Kafka setting). */
    public static final String CONFIG = "kchat.poison.record.policy";
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    /** Failed positions remembered at once; a failure is rare, and a forgotten one only costs its record more tries. */
    static final int REMEMBERED_FAILURES = 1_000;

    private final int maxAttempts;
    private final RecordAttempts attempts;
    private final DeadLetterMetrics metrics;

    public PoisonRecordPolicy(int maxAttempts, DeadLetterMetrics metrics) {
        this(maxAttempts, new RecordAttempts(REMEMBERED_FAILURES), metrics);
    }

    PoisonRecordPolicy(int maxAttempts, RecordAttempts attempts, DeadLetterMetrics metrics) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("max record attempts must be at least 1, not " + maxAttempts);
        }
        this.maxAttempts = maxAttempts;
        this.attempts = Objects.requireNonNull(attempts, "attempts");
        this.metrics = Objects.requireNonNull(metrics, "metrics");
    }

    /** Counts a failed processing attempt of the record at {@code position}. */
    Attempt failed(RecordPosition position) {
        return new Attempt(attempts.failed(position), maxAttempts);
    }

    /** Counts a record set aside. */
    void deadLettered(String sourceTopic, FailureStage stage) {
        metrics.deadLettered(sourceTopic, stage);
    }

    @Override
    public String toString() {
        return "PoisonRecordPolicy[maxAttempts=" + maxAttempts + "]";
    }

    /**
     * One failed attempt: the {@code number}th of at most {@code of}. Past the last one (the count of a record
     * dead-lettered in a transaction that then aborted), the record is dead-lettered again at once.
     */
    record Attempt(int number, int of) {

        boolean isLast() {
            return number >= of;
        }
    }
}
