package io.kchat.delivery.routing;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kchat.delivery.DeliveryConfig;
import io.kchat.delivery.DeliveryService;
import io.kchat.delivery.Main;
import io.kchat.delivery.TestDatabase;
import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserEvent;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/** The router against a real broker: fan-out per node, dropped routes, poison records, committed offsets. */
class DeliveryRouterIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static TestDatabase database;
    private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
    private TopicCatalogue catalogue;
    private DeliveryConfig config;
    private Admin admin;
    private KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void createDatabase() {
        database = TestDatabase.fresh("DeliveryRouterIT");
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void setUp(TestInfo test) {
        String prefix = SharedInfrastructure.uniquePrefix(test.getTestMethod().orElseThrow().getName());
        catalogue = new TopicCatalogue(prefix);
        config = DeliveryConfig.of(bootstrap, prefix, database.settings()).withGroupId(prefix + "delivery");
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        new TopicProvisioner(admin, (short) 1).ensure(Stream.concat(catalogue.shared().stream(),
                Stream.of(catalogue.egress("node-a"), catalogue.egress("node-b"))).toList());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void tearDown() {
        producer.close();
        admin.close();
    }

    @Test
    void routesOneCopyPerNodeAndDropsUnknownNodesAndPoison() throws Exception {
        Delivery delivery = new Delivery("u1", List.of(
                new SessionRoute("node-a", "s1"), new SessionRoute("node-b", "s2"),
                new SessionRoute("node-a", "s3"), new SessionRoute("node-gone", "s4")), message(1));
        produce("u1", "not avro".getBytes(StandardCharsets.UTF_8));
        produce("u1", encode(delivery));

        try (DeliveryService ignored = Main.start(config)) {
            List<ConsumerRecord<String, Delivery>> toA = awaitRecords(catalogue.egress("node-a"), 1);
            List<ConsumerRecord<String, Delivery>> toB = awaitRecords(catalogue.egress("node-b"), 1);

            assertEquals("u1", toA.getFirst().key());
            assertEquals(new Delivery("u1", List.of(new SessionRoute("node-a", "s1"),
                    new SessionRoute("node-a", "s3")), message(1)), toA.getFirst().value());
            assertEquals("u1", toB.getFirst().key());
            assertEquals(new Delivery("u1", List.of(new SessionRoute("node-b", "s2")), message(1)),
                    toB.getFirst().value());
            // a route to a node without egress never creates one
            assertFalse(admin.listTopics().names().get().contains(catalogue.egress("node-gone").name()));
        }
    }

    @Test
    void commitsWhatWasRoutedSoARestartDoesNotRepeatIt() throws Exception {
        Topic<String, Delivery> egressA = catalogue.egress("node-a");
        toSessionOnNodeA("u2", message(1));
        try (DeliveryService ignored = Main.start(config)) {
            awaitRecords(egressA, 1);
        }
        assertEquals(1L, committedOffset());

        toSessionOnNodeA("u2", new ReplayFinished(1L));
        try (DeliveryService ignored = Main.start(config)) {
            // same key, same partition: a re-routed first item would arrive before the second one
            List<ConsumerRecord<String, Delivery>> records = awaitRecords(egressA, 2);
            assertEquals(List.of(message(1), new ReplayFinished(1L)),
                    records.stream().map(r -> r.value().getItem()).toList());
        }
        assertEquals(2L, committedOffset());
    }

    @Test
    void commitsWhileRunningWithinTheCommitInterval() throws Exception {
        Topic<String, Delivery> egressA = catalogue.egress("node-a");
        toSessionOnNodeA("u3", message(1));
        try (DeliveryService ignored = Main.start(config)) {
            awaitRecords(egressA, 1);
            // the interval is 1 s by default: the commit comes without a stop
            await().atMost(TIMEOUT).until(() -> committedOffset() == 1L);

            toSessionOnNodeA("u3", message(2));
            awaitRecords(egressA, 2);
            await().atMost(TIMEOUT).until(() -> committedOffset() == 2L);
        }
    }

    /** A delivery of {@code item} to the user's one session, on node-a. */
    private void toSessionOnNodeA(String userId, Object item) throws Exception {
        produce(userId, encode(new Delivery(userId, List.of(new SessionRoute("node-a", "s1")), item)));
    }

    private static LoggedEvent message(long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent("u1", new ChatMessage("c1", userSeq, "m" + userSeq,
                "client-" + userSeq, "u9", "d9", "hello", Instant.parse("2030-01-01T00:00:00Z"))));
    }

    private byte[] encode(Delivery delivery) {
        return catalogue.deliveries().valueSerde().serializer().serialize(catalogue.deliveries().name(), delivery);
    }

    private void produce(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(catalogue.deliveries().name(), key.getBytes(StandardCharsets.UTF_8),
                value)).get();
    }

    /** Offset committed by the router's group, summed over the deliveries partitions (one record each). */
    private long committedOffset() throws Exception {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(config.groupId())
                .partitionsToOffsetAndMetadata().get();
        return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }

    /** Waits until the topic holds {@code count} records, then checks it holds no more. */
    private List<ConsumerRecord<String, Delivery>> awaitRecords(Topic<String, Delivery> topic, int count) {
        List<ConsumerRecord<String, Delivery>> records = new ArrayList<>();
        try (KafkaConsumer<String, Delivery> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(topic.name(), 0));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(TIMEOUT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
                return records.size() >= count;
            });
            consumer.poll(Duration.ofMillis(500)).forEach(records::add);
        }
        assertEquals(count, records.size(), "records in " + topic.name());
        return records;
    }
}
