package io.kchat.processor.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OutputSettingsTest {

    private static final OutputSettings DEFAULTS = new OutputSettings(Duration.ofDays(7), 10_000, Duration.ofDays(30),
            Duration.ofSeconds(1));

    @Test
    void describesEachSettingInAFixedOrderWithDurationsAsSettingsWriteThem() {
        assertEquals("dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d;receiptInterval=1s", DEFAULTS.description());
        assertEquals("dedupeWindow=90m;userLogMaxEvents=5;userLogMaxAge=1500ms;receiptInterval=0ms",
                new OutputSettings(Duration.ofMinutes(90), 5, Duration.ofMillis(1500), Duration.ZERO).description());
    }

    @Test
    void readsBackWhatItDescribes() {
        OutputSettings odd = new OutputSettings(Duration.ofMinutes(90), 5, Duration.ofMillis(1500), Duration.ZERO);

        assertEquals(DEFAULTS, OutputSettings.parse(DEFAULTS.description(), DEFAULTS));
        assertEquals(odd, OutputSettings.parse(odd.description(), DEFAULTS));
    }

    @Test
    void readsADescriptionWrittenAnotherWayAsTheSameSettings() {
        OutputSettings handWritten = OutputSettings.parse(
                " userLogMaxAge=720h; dedupeWindow = 168h;receiptInterval=1000ms;userLogMaxEvents=10000", DEFAULTS);

        assertEquals(DEFAULTS, handWritten);
        assertEquals(List.of(), DEFAULTS.changesSince(handWritten));
    }

    @Test
    void theSameSettingsHaveNoChanges() {
        assertEquals(List.of(), DEFAULTS.changesSince(new OutputSettings(Duration.ofHours(168), 10_000,
                Duration.ofDays(30), Duration.ofMillis(1000))));
    }

    @Test
    void namesEachChangedSettingByItsVariableWithTheRecordedAndTheCurrentValue() {
        OutputSettings current = new OutputSettings(Duration.ofDays(1), 10_000, Duration.ofDays(7), Duration.ofSeconds(1));

        List<OutputSettings.Change> changes = current.changesSince(DEFAULTS);

        assertEquals(List.of(new OutputSettings.Change("DEDUPE_WINDOW", "7d", "1d"),
                new OutputSettings.Change("USER_LOG_MAX_AGE", "30d", "7d")), changes);
        assertEquals("DEDUPE_WINDOW was 7d, is now 1d", changes.getFirst().toString());
    }

    @Test
    void aChangedEventCountIsAChange() {
        assertEquals(List.of(new OutputSettings.Change("USER_LOG_MAX_EVENTS", "10000", "500")),
                new OutputSettings(Duration.ofDays(7), 500, Duration.ofDays(30), Duration.ofSeconds(1))
                        .changesSince(DEFAULTS));
    }

    @Test
    void aChangedReceiptIntervalIsAChange() {
        assertEquals(List.of(new OutputSettings.Change("RECEIPT_INTERVAL", "1s", "0ms")),
                new OutputSettings(Duration.ofDays(7), 10_000, Duration.ofDays(30), Duration.ZERO)
                        .changesSince(DEFAULTS));
    }

    @Test
    void aDescriptionRecordedBeforeTheReceiptIntervalExistedAgreesWithAnyCurrentInterval() {
        String beforeTheSetting = "dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d";
        OutputSettings everyReceiptAtOnce = new OutputSettings(Duration.ofDays(7), 10_000, Duration.ofDays(30),
                Duration.ZERO);

        assertEquals(DEFAULTS, OutputSettings.parse(beforeTheSetting, DEFAULTS));
        assertEquals(List.of(), everyReceiptAtOnce.changesSince(OutputSettings.parse(beforeTheSetting,
                everyReceiptAtOnce)));
        // the settings that were there before it still count
        assertEquals(List.of(new OutputSettings.Change("USER_LOG_MAX_EVENTS", "500", "10000")),
                DEFAULTS.changesSince(OutputSettings.parse("dedupeWindow=7d;userLogMaxEvents=500;userLogMaxAge=30d",
                        DEFAULTS)));
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {
            "",
            "dedupeWindow=7d;userLogMaxEvents=10000",
            "dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d;threads=2",
            "dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d;receiptInterval=soon",
            "dedupeWindow=7d;dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d",
            "dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge",
            "dedupeWindow=7 days;userLogMaxEvents=10000;userLogMaxAge=30d",
            "dedupeWindow=7d;userLogMaxEvents=ten;userLogMaxAge=30d"})
    void refusesWhatIsNoDescription(String text) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> OutputSettings.parse(text, DEFAULTS));
        assertFalse(refused.getMessage().isBlank(), "says why");
    }
}
