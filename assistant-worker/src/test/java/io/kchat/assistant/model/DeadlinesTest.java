package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DeadlinesTest {

    private final AtomicLong now = new AtomicLong(1_000);

    private Deadlines deadlines(long answerDeadline) {
        return new Deadlines(now::get, Duration.ofNanos(100), Duration.ofNanos(30), answerDeadline);
    }

    @Test
    void theFirstTokenTimeoutRunsUntilAPieceOfTheAnswerThenTheIdleTimeout() {
        Deadlines deadlines = deadlines(10_000);
        assertEquals(100, deadlines.remainingNanos());
        now.set(1_050);
        deadlines.event(false); // a role chunk or a keep-alive is no token
        assertEquals(50, deadlines.remainingNanos());
        deadlines.event(true);
        assertEquals(30, deadlines.remainingNanos());
        now.set(1_070);
        deadlines.event(false); // after the first token, every event resets the idle time
        assertEquals(30, deadlines.remainingNanos());
        now.set(1_100);
        assertTrue(deadlines.remainingNanos() <= 0);
        AttemptFailure idle = deadlines.expired();
        assertEquals(FailureKind.TIMEOUT, idle.kind());
        assertTrue(idle.retryable());
        assertTrue(idle.getMessage().contains("idle"));
    }

    @Test
    void theAnswerDeadlineBoundsEveryOtherAndEndsTheRetries() {
        Deadlines deadlines = deadlines(1_040);
        assertEquals(40, deadlines.remainingNanos());
        now.set(1_040);
        AttemptFailure total = deadlines.expired();
        assertEquals(FailureKind.TIMEOUT, total.kind());
        assertFalse(total.retryable());
        assertTrue(total.getMessage().contains("answer timeout"));
    }

    @Test
    void aSilentServerMissesTheFirstToken() {
        Deadlines deadlines = deadlines(10_000);
        now.set(1_100);
        AttemptFailure first = deadlines.expired();
        assertTrue(first.retryable());
        assertTrue(first.getMessage().contains("first-token"));
    }
}
