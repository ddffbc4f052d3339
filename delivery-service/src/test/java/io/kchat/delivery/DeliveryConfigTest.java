package io.kchat.delivery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DeliveryConfigTest {

    private static final Map<String, String> REQUIRED = Map.of(
            "KAFKA_BOOTSTRAP_SERVERS", "kafka:9092", "DATABASE_URL", "jdbc:postgresql://db:5432/kchat");

    @Test
    void defaultsForWhatTheEnvironmentLeavesOut() {
        DeliveryConfig config = DeliveryConfig.fromEnv(REQUIRED);

        assertEquals(DatabaseSettings.of("jdbc:postgresql://db:5432/kchat", "postgres", ""), config.database());
        assertEquals(Duration.ofSeconds(5), config.nodeReapInterval());
        assertEquals(Duration.ofSeconds(30), config.nodeExpiry());
        assertEquals(Duration.ofSeconds(5), config.typingMaxAge());
        assertEquals("kchat-delivery-archive", config.archiveGroupId());
        assertEquals(Duration.ofSeconds(10), config.sessionTimeout());
        assertEquals(1, config.producerProperties().get(ProducerConfig.LINGER_MS_CONFIG));
        assertEquals(0, DeliveryConfig.fromEnv(with("KAFKA_LINGER", "0ms")).producerProperties()
                .get(ProducerConfig.LINGER_MS_CONFIG));
    }

    @Test
    void thePushSenderReadsCommittedPushesInItsOwnGroupManyABatch() {
        DeliveryConfig config = DeliveryConfig.fromEnv(with("PUSH_CONCURRENCY", "5"));

        Map<String, Object> push = config.pushConsumerProperties();
        assertEquals("kchat-delivery-push", push.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("read_committed", push.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals(false, push.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        assertEquals("earliest", push.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals(500, push.get(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "a batch reads many, PUSH_CONCURRENCY at a time");
        // four tries of 10 s with pauses of up to a minute, twice over: longer than the 5 min default
        assertEquals(620_000, push.get(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG));
        assertEquals(5, config.push().concurrency());
    }

    @Test
    void theReadModelsReadOnlyWhatTheProcessorCommittedAndNoReaderCommitsOnItsOwn() {
        DeliveryConfig config = DeliveryConfig.fromEnv(REQUIRED);

        // D9: the archive and the presence table hold only what the processor committed
        assertEquals("read_committed", config.archiveConsumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("read_committed", config.presenceConsumerProperties().get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        for (Map<String, Object> consumer : List.of(config.archiveConsumerProperties(), config.presenceConsumerProperties(),
                config.typingConsumerProperties())) {
            assertEquals(false, consumer.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
        }
    }

    @Test
    void theAssistantsAnswersAreRelayedLikeTypingInTheirOwnGroupFromTheEnd() {
        DeliveryConfig config = DeliveryConfig.fromEnv(with("CHAT_TOPIC_PREFIX", "t-"));

        Map<String, Object> stream = config.assistantStreamConsumerProperties();
        assertEquals("t-kchat-delivery-assistant", stream.get(ConsumerConfig.GROUP_ID_CONFIG));
        assertEquals("read_uncommitted", stream.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        assertEquals("latest", stream.get(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG));
        assertEquals(false, stream.get(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG));
    }

    @Test
    void theSessionTimeoutReachesEveryConsumerWithAHeartbeatAThirdOfIt() {
        DeliveryConfig config = DeliveryConfig.fromEnv(with("DELIVERY_SESSION_TIMEOUT", "6s"));

        for (Map<String, Object> consumer : List.of(config.archiveConsumerProperties(), config.presenceConsumerProperties(),
                config.typingConsumerProperties(), config.assistantStreamConsumerProperties())) {
            assertEquals(6_000, consumer.get(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG));
            assertEquals(2_000, consumer.get(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG));
        }
        assertEquals(Duration.ofSeconds(6), config.withGroupId("other").sessionTimeout());
    }

    @ParameterizedTest
    @CsvSource({"750ms, 750", "2s, 2000", "1m, 60000", "PT0.25S, 250"})
    void readsDurations(String text, long millis) {
        assertEquals(Duration.ofMillis(millis), DeliveryConfig.fromEnv(with("NODE_EXPIRY", text)).nodeExpiry());
    }

    @Test
    void refusesWhatItCannotUse() {
        assertThrows(IllegalArgumentException.class, () -> DeliveryConfig.fromEnv(with("NODE_EXPIRY", "30")));
        assertThrows(IllegalArgumentException.class,
                () -> DeliveryConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", "k:9092")));
        assertThrows(IllegalArgumentException.class, () -> DeliveryConfig.fromEnv(with("NODE_REAP_INTERVAL", "0s")));
        assertThrows(IllegalArgumentException.class,
                () -> DeliveryConfig.fromEnv(with("DELIVERY_SESSION_TIMEOUT", "0ms")));
        assertThrows(IllegalArgumentException.class,
                () -> DeliveryConfig.fromEnv(with("DELIVERY_SESSION_TIMEOUT", "6000")));
        assertThrows(IllegalArgumentException.class, () -> DeliveryConfig.fromEnv(with("KAFKA_LINGER_MS", "-1")));
        assertThrows(IllegalArgumentException.class, () -> DeliveryConfig.fromEnv(with("KAFKA_LINGER", "-1ms")));
    }

    @Test
    void neverPrintsThePassword() {
        DeliveryConfig config = DeliveryConfig.fromEnv(with("DATABASE_PASSWORD", "s3cret-pw"));

        assertEquals("s3cret-pw", config.database().password());
        assertFalse(config.toString().contains("s3cret-pw"));
    }

    private static Map<String, String> with(String name, String value) {
        Map<String, String> env = new HashMap<>(REQUIRED);
        env.put(name, value);
        return env;
    }

    @Test
    void stacksUnderDifferentTopicPrefixesNeverShareAConsumerGroup() {
        DeliveryConfig a = DeliveryConfig.fromEnv(java.util.Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "DATABASE_URL", "jdbc:postgresql://h/db", "CHAT_TOPIC_PREFIX", "a-"));
        DeliveryConfig b = DeliveryConfig.fromEnv(java.util.Map.of("KAFKA_BOOTSTRAP_SERVERS", "b:9092",
                "DATABASE_URL", "jdbc:postgresql://h/db", "CHAT_TOPIC_PREFIX", "b-"));
        org.junit.jupiter.api.Assertions.assertEquals("a-kchat-delivery", a.groupId());
        org.junit.jupiter.api.Assertions.assertNotEquals(a.archiveGroupId(), b.archiveGroupId());
    }
}
