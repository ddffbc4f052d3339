package io.kchat.examples.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnalyticsConfigTest {

    @Test
    void defaultsReadTheLocalStacksBrokerByTheMinute() {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of());
        assertEquals("127.0.0.1:19092", config.bootstrapServers());
        assertEquals("", config.topicPrefix());
        assertEquals("kchat-analytics-example", config.applicationId());
        assertEquals(Duration.ofMinutes(1), config.window());
        assertEquals(Duration.ofSeconds(10), config.grace());
    }

    @Test
    void theApplicationIdFollowsTheTopicPrefixUnlessSet() {
        AnalyticsConfig prefixed = AnalyticsConfig.fromEnv(Map.of("CHAT_TOPIC_PREFIX", "t1."));
        assertEquals("t1.kchat-analytics-example", prefixed.applicationId());
        AnalyticsConfig named = AnalyticsConfig.fromEnv(Map.of("CHAT_TOPIC_PREFIX", "t1.", "APPLICATION_ID", "team-a",
                "KAFKA_BOOTSTRAP_SERVERS", "k:9092", "WINDOW", "5m", "GRACE", "PT1M", "STATE_DIR", "/var/a"));
        assertEquals(new AnalyticsConfig("k:9092", "t1.", "team-a", Duration.ofMinutes(5), Duration.ofMinutes(1),
                Path.of("/var/a")), named);
    }

    @Test
    void refusesDurationsItCannotUse() {
        IllegalArgumentException notIso = assertThrows(IllegalArgumentException.class,
                () -> AnalyticsConfig.fromEnv(Map.of("WINDOW", "60")));
        assertTrue(notIso.getMessage().contains("WINDOW"), notIso.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.fromEnv(Map.of("WINDOW", "PT0S")));
        assertThrows(IllegalArgumentException.class, () -> AnalyticsConfig.fromEnv(Map.of("GRACE", "-PT1S")));
    }
}
