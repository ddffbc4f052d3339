package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class LiveClientSupplierTest {

    private final StreamsConfig streams =
            new StreamsConfig(StreamsSettings.toProperties(ProcessorConfig.fromEnv(Map.of())));

    @Test
    void theMainConsumerReadsUncommittedAndKeepsEverythingElseStreamsComputed() {
        Map<String, Object> computed = streams.getMainConsumerConfigs("kchat-processor", "c", 0);
        // exactly-once makes Streams ask for read_committed, whatever the settings say (D3 is why we override it)
        assertEquals("read_committed", computed.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));

        Map<String, Object> main = LiveClientSupplier.mainConsumerConfig(computed);
        assertEquals("read_uncommitted", main.get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
        computed.forEach((key, value) -> {
            if (!key.equals(ConsumerConfig.ISOLATION_LEVEL_CONFIG)) {
                assertEquals(value, main.get(key), key);
            }
        });
    }

    @Test
    void stateIsRestoredFromCommittedChangelogsOnly() {
        // the restore consumer is built from Streams' config unchanged
        assertEquals("read_committed",
                streams.getRestoreConsumerConfigs("r").get(ConsumerConfig.ISOLATION_LEVEL_CONFIG));
    }

    @Test
    void theClassicGroupProtocolIsAskedForSoThatStreamsBuildsItsMainConsumerHere() {
        assertEquals("classic", streams.getString(StreamsConfig.GROUP_PROTOCOL_CONFIG));
    }

    @Test
    void aRunningApplicationWhoseThreadsDidNotGetTheirMainConsumerHereIsRefused() {
        LiveClientSupplier clients = new LiveClientSupplier();
        IllegalStateException none = assertThrows(IllegalStateException.class, () -> clients.requireMainConsumers(1));
        assertTrue(none.getMessage().contains("read committed"), none.getMessage());

        // a consumer that never connects: building it is what counts
        try (var consumer = clients.getConsumer(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1"))) {
            clients.requireMainConsumers(1);
            assertThrows(IllegalStateException.class, () -> clients.requireMainConsumers(2), "one thread of two");
        }
    }
}
