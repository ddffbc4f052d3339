package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashMap;
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
        assertEquals(Duration.ofMillis(1000), config.commitInterval());
        assertEquals(Duration.ofMillis(10), config.fetchMaxWait());
        assertEquals(Duration.ofMillis(1), config.linger());
    }

    @Test
    void aRecordGetsThreeAttemptsUnlessSetOtherwise() {
        assertEquals(3, ProcessorConfig.fromEnv(Map.of()).maxRecordAttempts());
        assertEquals(5, ProcessorConfig.fromEnv(Map.of("PROCESSOR_MAX_RECORD_ATTEMPTS", "5")).maxRecordAttempts());
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
                "PROCESSOR_SESSION_TIMEOUT_MS", "6000",
                "PROCESSOR_HEARTBEAT_INTERVAL_MS", "1500",
                "PROCESSOR_TRANSACTION_TIMEOUT_MS", " 60000 "));

        assertEquals(new ProcessorConfig.Timeouts(Duration.ofSeconds(6), Duration.ofMillis(1500), Duration.ofMinutes(1)),
                config.timeouts());
    }

    @Test
    void aSessionTimeoutAloneBringsItsOwnHeartbeat() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("PROCESSOR_SESSION_TIMEOUT_MS", "6000"));

        assertEquals(Duration.ofMillis(1200), config.timeouts().heartbeat());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource({
            "PROCESSOR_SESSION_TIMEOUT_MS, 0",
            "PROCESSOR_SESSION_TIMEOUT_MS, -5",
            "PROCESSOR_SESSION_TIMEOUT_MS, 10s",
            "PROCESSOR_TRANSACTION_TIMEOUT_MS, 0",
            "PROCESSOR_TRANSACTION_TIMEOUT_MS, 3000000000",
            "PROCESSOR_HEARTBEAT_INTERVAL_MS, 0",
            "PROCESSOR_COMMIT_INTERVAL_MS, -1",
            "PROCESSOR_FETCH_MAX_WAIT_MS, 0",
            "KAFKA_LINGER_MS, -1"})
    void refusesAValueThatIsNotAPositiveNumberOfMilliseconds(String name, String value) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(Map.of(name, value)));
        assertTrue(refused.getMessage().contains(value.trim()) || refused.getMessage().contains("negative"),
                refused.getMessage());
    }

    @Test
    void refusesAHeartbeatThatIsNotBelowTheSessionTimeout() {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(env("PROCESSOR_SESSION_TIMEOUT_MS", "6000",
                        "PROCESSOR_HEARTBEAT_INTERVAL_MS", "6000")));
        assertTrue(refused.getMessage().contains("heartbeat"), refused.getMessage());
    }

    @Test
    void refusesATransactionTimeoutNotAboveTheCommitInterval() {
        // Kafka Streams would refuse it too: every transaction would time out before it is committed
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorConfig.fromEnv(env("PROCESSOR_COMMIT_INTERVAL_MS", "5000",
                        "PROCESSOR_TRANSACTION_TIMEOUT_MS", "5000")));
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
