package io.kchat.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildProcessKafkaIT {

    @Test
    void recordSurvivesKillDashNineAndRestartOnTheSameDirAndPort(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("kafka");
        String topic = "fault-events";
        int port;
        try (ChildProcessKafka broker = ChildProcessKafka.start(dataDir, 0)) {
            port = broker.port();
            KafkaTestClients.createTopic(broker.bootstrapServers(), topic);
            KafkaTestClients.produce(broker.bootstrapServers(), topic, "room-9", "before-kill");
            broker.kill();
            assertFalse(broker.isAlive());
        }

        try (ChildProcessKafka broker = ChildProcessKafka.start(dataDir, port)) {
            List<ConsumerRecord<String, String>> records =
                    KafkaTestClients.consume(broker.bootstrapServers(), topic, "read_uncommitted", 1);
            assertEquals("before-kill", records.get(0).value());
        }
    }
}
