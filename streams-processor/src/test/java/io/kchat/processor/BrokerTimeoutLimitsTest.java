package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BrokerTimeoutLimitsTest {

    /** Kafka's own defaults: sessions of 6 s to 30 min, transactions up to 15 min. */
    private static final BrokerTimeoutLimits BROKER = new BrokerTimeoutLimits(
            Duration.ofSeconds(6), Duration.ofMinutes(30), Duration.ofMinutes(15));

    @Test
    void timeoutsWithinTheBrokersBoundsPass() {
        assertEquals(List.of(), BROKER.violations(timeouts(6_000, 60_000)));
        assertEquals(List.of(), BROKER.violations(timeouts(1_800_000, 900_000)));
    }

    @Test
    void aSessionTimeoutOutsideTheGroupBoundsIsNamed() {
        List<String> tooShort = BROKER.violations(timeouts(5_999, 10_000));
        List<String> tooLong = BROKER.violations(timeouts(1_800_001, 10_000));

        assertEquals(1, tooShort.size());
        assertTrue(tooShort.getFirst().contains("PROCESSOR_SESSION_TIMEOUT=5999ms"), tooShort.getFirst());
        assertTrue(tooShort.getFirst().contains(BrokerTimeoutLimits.MIN_SESSION + "=6000"), tooShort.getFirst());
        assertEquals(1, tooLong.size());
    }

    @Test
    void aTransactionTimeoutAboveTheBrokersMaximumIsNamed() {
        List<String> violations = BROKER.violations(timeouts(10_000, 900_001));

        assertEquals(List.of("PROCESSOR_TRANSACTION_TIMEOUT=900001ms is above the broker's "
                + BrokerTimeoutLimits.MAX_TRANSACTION + "=900000"), violations);
    }

    private static ProcessorConfig.Timeouts timeouts(long sessionMillis, long transactionMillis) {
        Duration session = Duration.ofMillis(sessionMillis);
        return new ProcessorConfig.Timeouts(session, ProcessorConfig.Timeouts.defaultHeartbeat(session),
                Duration.ofMillis(transactionMillis));
    }
}
