package io.kchat.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProducerLingerTest {

    private static Duration linger(Map<String, String> environment) {
        return ProducerLinger.from(Settings.of(environment));
    }

    @Test
    void oneMillisecondUnlessTheEnvironmentSaysOtherwise() {
        assertEquals(Duration.ofMillis(1), linger(Map.of()));
        assertEquals(Duration.ofMillis(1), linger(Map.of("KAFKA_LINGER", " ")), "blank is unset");
        assertEquals(Duration.ZERO, linger(Map.of("KAFKA_LINGER", " 0ms ")));
        assertEquals(Duration.ofMillis(5), linger(Map.of("KAFKA_LINGER", "5ms")));
        assertEquals(Duration.ofMillis(5), linger(Map.of("KAFKA_LINGER_MS", "5")), "the former spelling");
    }

    @Test
    void refusesWhatAProducerCannotTake() {
        SettingException unitless = assertThrows(SettingException.class, () -> linger(Map.of("KAFKA_LINGER", "5")));
        assertTrue(unitless.getMessage().startsWith("KAFKA_LINGER='5'"), unitless.getMessage());
        assertThrows(SettingException.class, () -> linger(Map.of("KAFKA_LINGER_MS", "-1")));
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> ProducerLinger.require(Duration.ofMillis(Integer.MAX_VALUE + 1L)));
        assertTrue(tooLong.getMessage().contains("KAFKA_LINGER"), tooLong.getMessage());
    }
}
