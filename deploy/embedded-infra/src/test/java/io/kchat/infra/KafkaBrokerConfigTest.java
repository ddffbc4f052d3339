package io.kchat.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Map;

import kafka.server.KafkaConfig;
import org.junit.jupiter.api.Test;

class KafkaBrokerConfigTest {

    @Test
    void singleNodeCombinedModeConfigIsAcceptedByKafka() {
        KafkaConfig config = KafkaConfig.fromProps(
                KafkaBrokerConfig.properties(Path.of("/tmp/kafka-data"), 19092, 19093, Map.of()), false);

        assertEquals(1, config.nodeId());
        assertEquals("CONTROLLER", config.controllerListenerNames().get(0));
        assertEquals(1, config.getInt("default.replication.factor"));
        assertEquals(1, config.getInt("min.insync.replicas"));
        assertEquals((short) 1, config.getShort("offsets.topic.replication.factor"));
        assertEquals((short) 1, config.getShort("transaction.state.log.replication.factor"));
        assertEquals(1, config.getInt("transaction.state.log.min.isr"));
        assertEquals((short) 1, config.getShort("share.coordinator.state.topic.replication.factor"));
        assertEquals(0, config.getInt("group.initial.rebalance.delay.ms"));
        assertFalse(config.getBoolean("auto.create.topics.enable"));
    }

    @Test
    void overridesWin() {
        KafkaConfig config = KafkaConfig.fromProps(KafkaBrokerConfig.properties(Path.of("/tmp/kafka-data"), 19092, 19093,
                Map.of("num.partitions", "6")), false);

        assertEquals(6, config.numPartitions());
    }
}
