package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
