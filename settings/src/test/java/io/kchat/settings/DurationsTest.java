package io.kchat.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

    @ParameterizedTest
    @CsvSource({"500ms, PT0.5S", "5s, PT5S", "2m, PT2M", "1h, PT1H", "7d, PT168H", "0ms, PT0S", "' 10 S ', PT10S"})
    void readsANumberAndAUnit(String written, String iso) {
        assertEquals(Duration.parse(iso), Durations.parse(written));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "PT5S", "-5s", "1.5s", "5 seconds", "s", "", "99999999999999999999ms", "9999999999999999d"})
    void refusesEveryOtherSpelling(String written) {
        assertThrows(IllegalArgumentException.class, () -> Durations.parse(written));
    }

    @ParameterizedTest
    @CsvSource({"PT0.2S, 200ms", "PT1.5S, 1500ms", "PT90S, 90s", "PT2M, 2m", "PT24H, 1d", "PT0S, 0ms", "PT720H, 30d"})
    void formatsTheShortestSpellingThatReadsBack(String iso, String written) {
        assertEquals(written, Durations.format(Duration.parse(iso)));
        assertEquals(Duration.parse(iso), Durations.parse(written));
    }
}
