package io.kchat.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbeddedKafkaIT {

    @Test
    void transactionalProducerAndReadCommittedConsumerOnTheSharedBroker() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String topic = SharedInfrastructure.uniquePrefix("tx") + "events";
        KafkaTestClients.createTopic(bootstrap, topic);

        Properties props = KafkaTestClients.producerProps(bootstrap);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.initTransactions();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "aborted"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
            producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
            producer.commitTransaction();
        }

        try (KafkaConsumer<String, String> consumer = KafkaTestClients.consumer(bootstrap, "read_committed")) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= 2;
            });
            // One more poll past the commit marker: nothing from the aborted transaction shows up.
            consumer.poll(Duration.ofMillis(500)).forEach(r -> values.add(r.value()));
            assertEquals(List.of("committed-1", "committed-2"), values);
        }
    }

    @Test
    void restartOnTheSameDataDirAndPortKeepsRecordsAndClusterId(@TempDir Path tmp) throws Exception {
        Path dataDir = tmp.resolve("kafka");
        String topic = "restart-events";
        String clusterId;
        int port;
        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, 0)) {
            clusterId = kafka.clusterId();
            port = kafka.port();
            assertFalse(clusterId.isBlank());
            assertEquals("127.0.0.1:" + port, kafka.bootstrapServers());
            KafkaTestClients.createTopic(kafka.bootstrapServers(), topic);
            KafkaTestClients.produce(kafka.bootstrapServers(), topic, "room-1", "hello");
        }
        assertEquals(clusterId, KraftStorage.clusterId(dataDir));

        try (EmbeddedKafka kafka = EmbeddedKafka.start(dataDir, port)) {
            assertEquals(clusterId, kafka.clusterId());
            List<ConsumerRecord<String, String>> records =
                    KafkaTestClients.consume(kafka.bootstrapServers(), topic, "read_uncommitted", 1);
            assertEquals("hello", records.get(0).value());
            assertEquals("room-1", records.get(0).key());
        }
    }
}
