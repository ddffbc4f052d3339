package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProducerLingerTest {

    @Test
    void oneMillisecondUnlessTheEnvironmentSaysOtherwise() {
        assertEquals(Duration.ofMillis(1), ProducerLinger.of(null));
        assertEquals(Duration.ZERO, ProducerLinger.of(" 0 "));
        assertEquals(Duration.ofMillis(5), ProducerLinger.of("5"));
    }

    @Test
    void refusesWhatAProducerCannotTake() {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> ProducerLinger.of("-1"));
        assertTrue(negative.getMessage().contains("KAFKA_LINGER_MS"), negative.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> ProducerLinger.require(Duration.ofMillis(Integer.MAX_VALUE + 1L)));
        assertThrows(IllegalArgumentException.class, () -> ProducerLinger.of("1ms"));
        assertThrows(IllegalArgumentException.class, () -> ProducerLinger.of(" "), "set but empty is not a number");
    }
}
