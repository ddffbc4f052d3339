package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.processor.guard.OutputSettings;
import io.kchat.settings.Durations;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProcessorConfigTest {

    @Test
    void timeoutsDefaultToTenSecondsWithFiveHeartbeatsPerSession() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of());

        assertEquals(new ProcessorConfig.Timeouts(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(10)),
                config.timeouts());
        assertEquals(Duration.ofSeconds(1), config.commitInterval());
        assertEquals(Duration.ofMillis(10), config.fetchMaxWait());
        assertEquals(Duration.ofMillis(1), config.linger());
    }

    @Test
    void aRecordGetsThreeAttemptsUnlessSetOtherwise() {
        assertEquals(3, ProcessorConfig.fromEnv(Map.of()).maxRecordAttempts());
        assertEquals(5, ProcessorConfig.fromEnv(Map.of("PROCESSOR_MAX_RECORD_ATTEMPTS", "5")).maxRecordAttempts());
    }

    @Test
    void aSettingsMigrationIsOffUnlessSet() {
        assertFalse(ProcessorConfig.fromEnv(Map.of()).settingsMigration());
        assertTrue(ProcessorConfig.fromEnv(Map.of("PROCESSOR_SETTINGS_MIGRATION", "true")).settingsMigration());
    }

    @Test
    void theOutputSettingsAreTheFourThatChangeTheOutputNamedByTheirVariables() {
        ProcessorConfig defaults = ProcessorConfig.fromEnv(Map.of());
        ProcessorConfig changed = ProcessorConfig.fromEnv(Map.of(
                ProcessorConfig.DEDUPE_WINDOW.name(), "1d",
                ProcessorConfig.USER_LOG_MAX_EVENTS.name(), "500",
                ProcessorConfig.USER_LOG_MAX_AGE.name(), "2d",
                ProcessorConfig.RECEIPT_INTERVAL.name(), "250ms",
                ProcessorConfig.DELIVERED_RECEIPT_INTERVAL.name(), "3s",
                ProcessorConfig.PUSH_GRACE.name(), "10s",
                "PROCESSOR_THREADS", "4"));

        assertEquals("dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d;receiptInterval=1s",
                defaults.outputSettings().description());
        // the guard's message names the variables an operator sets: they must be the declared ones
        assertEquals(List.of(ProcessorConfig.DEDUPE_WINDOW.name(), ProcessorConfig.USER_LOG_MAX_EVENTS.name(),
                        ProcessorConfig.USER_LOG_MAX_AGE.name(), ProcessorConfig.RECEIPT_INTERVAL.name()),
                changed.outputSettings().changesSince(defaults.outputSettings()).stream()
                        .map(OutputSettings.Change::variable).toList());
    }

    @Test
    void pushesWaitThreeSecondsUnlessSetAlsoInTheMillisecondsApiMdNames() {
        assertEquals(Duration.ofSeconds(3), ProcessorConfig.fromEnv(Map.of()).pushGrace());
        assertEquals(Duration.ofMillis(1500), ProcessorConfig.fromEnv(Map.of("PUSH_GRACE", "1500ms")).pushGrace());
        assertEquals(Duration.ofMillis(2500), ProcessorConfig.fromEnv(Map.of("PUSH_GRACE_MS", "2500")).pushGrace());
        assertEquals(Duration.ZERO, ProcessorConfig.fromEnv(Map.of("PUSH_GRACE", "0s")).pushGrace());
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of("PUSH_GRACE", "-1s")));
        assertTrue(refused.getMessage().contains("PUSH_GRACE"), refused.getMessage());
    }

    @Test
    void refusesFewerThanOneAttemptPerRecord() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of("PROCESSOR_MAX_RECORD_ATTEMPTS", "0")));
        assertTrue(refused.getMessage().contains("attempts"), refused.getMessage());
    }

    @Test
    void readsTheTimeoutsFromTheEnvironment() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "PROCESSOR_SESSION_TIMEOUT", "6s",
                "PROCESSOR_HEARTBEAT_INTERVAL", "1500ms",
                "PROCESSOR_TRANSACTION_TIMEOUT", " 1m "));

        assertEquals(new ProcessorConfig.Timeouts(Duration.ofSeconds(6), Duration.ofMillis(1500), Duration.ofMinutes(1)),
                config.timeouts());
    }

    @Test
    void theFormerSpellingsAreStillReadForOneRelease() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "PROCESSOR_SESSION_TIMEOUT_MS", "6000",
                "PROCESSOR_HEARTBEAT_INTERVAL_MS", "1500",
                "PROCESSOR_TRANSACTION_TIMEOUT_MS", " 60000 ",
                "DEDUPE_WINDOW_HOURS", "2",
                "USER_LOG_MAX_AGE_DAYS", "3",
                "OUTBOX_RETENTION_MINUTES", "4"));

        assertEquals(new ProcessorConfig.Timeouts(Duration.ofSeconds(6), Duration.ofMillis(1500), Duration.ofMinutes(1)),
                config.timeouts());
        assertEquals(Duration.ofHours(2), config.dedupeWindow());
        assertEquals(Duration.ofDays(3), config.maxUserLogAge());
        assertEquals(Duration.ofMinutes(4), config.cdc().outboxRetention());
    }

    @Test
    void aSessionTimeoutAloneBringsItsOwnHeartbeat() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("PROCESSOR_SESSION_TIMEOUT", "6s"));

        assertEquals(Duration.ofMillis(1200), config.timeouts().heartbeat());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "PROCESSOR_SESSION_TIMEOUT, 0ms",
            "PROCESSOR_SESSION_TIMEOUT, -5s",
            "PROCESSOR_SESSION_TIMEOUT, 10",
            "PROCESSOR_SESSION_TIMEOUT_MS, 10s",
            "PROCESSOR_TRANSACTION_TIMEOUT, 0ms",
            "PROCESSOR_TRANSACTION_TIMEOUT, 3000000000ms",
            "PROCESSOR_HEARTBEAT_INTERVAL, 0ms",
            "PROCESSOR_COMMIT_INTERVAL, -1ms",
            "PROCESSOR_FETCH_MAX_WAIT, 0ms",
            "KAFKA_LINGER, -1ms"})
    void refusesAValueThatIsNotAPositiveDuration(String name, String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of(name, value)));
        String message = refused.getMessage();
        assertTrue(message.contains(value.trim()) || message.contains(millis(value) + " ms"), message);
    }

    /** A readable value as the range checks print it. */
    private static long millis(String value) {
        try {
            return Durations.parse(value).toMillis();
        } catch (IllegalArgumentException e) {
            return Long.MIN_VALUE;
        }
    }

    @Test
    void refusesAHeartbeatThatIsNotBelowTheSessionTimeout() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(env("PROCESSOR_SESSION_TIMEOUT", "6s",
                        "PROCESSOR_HEARTBEAT_INTERVAL", "6s")));
        assertTrue(refused.getMessage().contains("heartbeat"), refused.getMessage());
    }

    @Test
    void refusesATransactionTimeoutNotAboveTheCommitInterval() {
        // Kafka Streams would refuse it too: every transaction would time out before it is committed
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(env("PROCESSOR_COMMIT_INTERVAL", "5s",
                        "PROCESSOR_TRANSACTION_TIMEOUT", "5s")));
        assertTrue(refused.getMessage().contains("commit interval"), refused.getMessage());
    }

    private static Map<String, String> env(String... namesAndValues) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            env.put(namesAndValues[i], namesAndValues[i + 1]);
        }
        return env;
    }
}
