package io.kchat.processor.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.processor.errors.PoisonRecordPolicy.Attempt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoisonRecordPolicyTest {

    private static final RecordPosition POISON = new RecordPosition("chat.inbound", 2, 41);

    @Test
    void theNthFailureOfARecordIsItsLastAttempt() {
        PoisonRecordPolicy policy = new PoisonRecordPolicy(3, DeadLetterMetrics.NONE);

        Attempt first = policy.failed(POISON);
        Attempt second = policy.failed(POISON);
        Attempt third = policy.failed(POISON);

        assertEquals(new Attempt(1, 3), first);
        assertFalse(first.isLast());
        assertFalse(second.isLast());
        assertTrue(third.isLast());
    }

    @Test
    void aRecordSeenAgainAfterItsLastAttemptIsDeadLetteredAgainAtOnce() {
        // its dead letter was written in a transaction that aborted: the record comes back, and goes again
        PoisonRecordPolicy policy = new PoisonRecordPolicy(2, DeadLetterMetrics.NONE);
        policy.failed(POISON);
        policy.failed(POISON);

        assertTrue(policy.failed(POISON).isLast());
    }

    @Test
    void otherRecordsKeepTheirOwnCount() {
        PoisonRecordPolicy policy = new PoisonRecordPolicy(2, DeadLetterMetrics.NONE);
        policy.failed(POISON);

        assertFalse(policy.failed(new RecordPosition("chat.inbound", 2, 42)).isLast());
        assertFalse(policy.failed(new RecordPosition("chat.inbound", 3, 41)).isLast());
        assertTrue(policy.failed(POISON).isLast());
    }

    @Test
    void oneAttemptDeadLettersAtTheFirstFailure() {
        assertTrue(new PoisonRecordPolicy(1, DeadLetterMetrics.NONE).failed(POISON).isLast());
    }

    @Test
    void countsWhatItDeadLetters() {
        List<String> counted = new ArrayList<>();
        PoisonRecordPolicy policy = new PoisonRecordPolicy(3, (topic, stage) -> counted.add(topic + " " + stage));

        policy.deadLettered("chat.inbound", DeadLetterMetrics.FailureStage.PROCESSING);

        assertEquals(List.of("chat.inbound PROCESSING"), counted);
    }

    @Test
    void refusesFewerThanOneAttempt() {
        assertThrows(IllegalArgumentException.class, () -> new PoisonRecordPolicy(0, DeadLetterMetrics.NONE));
    }
}
