package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsTest {

    @Test
    void readsTheModeAndTypedValues() {
        Options options = Options.parse(new String[] {"latency", "--pairs", "10", "--rate", "200.5", "--duration",
            "20s", "--sizes", "10, 100,1000"});

        assertEquals("latency", options.mode());
        assertEquals(10, options.integer("pairs", 50));
        assertEquals(200.5, options.number("rate", 1000), 1e-9);
        assertEquals(Duration.ofSeconds(20), options.duration("duration", Duration.ZERO));
        assertEquals(List.of(10, 100, 1000), options.integers("sizes", List.of()));
        assertEquals(7, options.integer("repeat", 7));
    }

    @Test
    void durationsTakeMillisecondsSecondsMinutesOrBareSeconds() {
        assertEquals(Duration.ofMillis(500), Options.parseDuration("500ms"));
        assertEquals(Duration.ofMillis(1500), Options.parseDuration("1.5s"));
        assertEquals(Duration.ofMinutes(2), Options.parseDuration("2m"));
        assertEquals(Duration.ofSeconds(30), Options.parseDuration("30"));
    }

    @Test
    void refusesAnOptionWithoutValueAndOneTheModeDoesNotRead() {
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"floor", "--rate"}));
        Options typo = Options.parse(new String[] {"floor", "--rat", "10"});
        assertThrows(IllegalArgumentException.class, () -> typo.requireKnown(Set.of("rate")));
    }
}
