package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The limits read from a real broker, and a start refused before Streams would fail on them. */
class BrokerTimeoutLimitsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;

    @Test
    void readsTheBrokersLimits() throws InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                SharedInfrastructure.kafka().bootstrapServers()))) {
            // the test broker lowers the minimum session to 1 s (KafkaBrokerConfig); the rest are Kafka's defaults
            assertEquals(Optional.of(new BrokerTimeoutLimits(Duration.ofSeconds(1), Duration.ofMinutes(30),
                    Duration.ofMinutes(15))), BrokerTimeoutLimits.describe(admin, TIMEOUT));
        }
    }

    @Test
    void aTransactionTimeoutTheBrokerWouldRefuseStopsTheStart() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers(),
                "CHAT_TOPIC_PREFIX", SharedInfrastructure.uniquePrefix("limits"),
                "CHAT_STATE_DIR", stateDir.toString(),
                "PROCESSOR_TRANSACTION_TIMEOUT", "900001ms"));

        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> ProcessorApp.start(config, TIMEOUT).close());
        assertTrue(refused.getMessage().contains("PROCESSOR_TRANSACTION_TIMEOUT=900001ms"), refused.getMessage());
    }
}
