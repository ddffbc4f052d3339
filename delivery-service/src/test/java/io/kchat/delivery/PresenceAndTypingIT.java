package io.kchat.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.Delivery;
import io.kchat.events.PresenceChanged;
import io.kchat.events.SessionRoute;
import io.kchat.events.Typing;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Ephemeral fan-out on a real broker and database. Conversations: g1 = alice, bob, carol; d1 = alice, dave;
 * x1 = erin alone. Sessions: alice a1@node-a; bob b1, b3@node-a and b2@node-b; carol c1@node-a and
 * c2@node-c (which has no egress topic); erin e1@node-a; dave none.
 */
class PresenceAndTypingIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();

    private static TopicCatalogue catalogue;
    private static TestDatabase database;
    private static DeliveryConfig config;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void setUp() {
        String prefix = SharedInfrastructure.uniquePrefix("PresenceAndTypingIT");
        catalogue = new TopicCatalogue(prefix);
        database = TestDatabase.fresh("PresenceAndTypingIT");
        // generous: the fresh notices of these tests must never be judged stale on a busy machine
        config = DeliveryConfig.of(BOOTSTRAP, prefix, database.settings()).withGroupId(prefix + "delivery")
                .withTypingMaxAge(Duration.ofSeconds(30));
        admin = Admin.create(config.adminProperties());
        new TopicProvisioner(admin, (short) 1).ensure(Stream.concat(catalogue.shared().stream(),
                Stream.of(catalogue.egress("node-a"), catalogue.egress("node-b"))).toList());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                new ByteArraySerializer(), new ByteArraySerializer());
        database.users("alice", "bob", "carol", "dave", "erin");
        database.conversation("g1", "alice", "bob", "carol");
        database.conversation("d1", "alice", "dave");
        database.conversation("x1", "erin");
    }

    /** Fresh heartbeats and every session back: the service's own reaper runs during the tests. */
    @BeforeEach
    void sessionsAreOpen() {
        database.execute("DELETE FROM sessions");
        for (String node : List.of("node-a", "node-b", "node-c")) {
            database.node(node, "i1", 0);
        }
        database.session("a1", "alice", "node-a", "i1");
        database.session("b1", "bob", "node-a", "i1");
        database.session("b3", "bob", "node-a", "i1");
        database.session("b2", "bob", "node-b", "i1");
        database.session("c1", "carol", "node-a", "i1");
        database.session("c2", "carol", "node-c", "i1");
        database.session("e1", "erin", "node-a", "i1");
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        admin.close();
        database.close();
    }

    @Test
    void presenceReachesCoMembersWithSessionsOncePerNodeAndIsProjected() throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        PresenceChanged aliceOnline = new PresenceChanged("alice", true, at);
        PresenceChanged carolOnline = new PresenceChanged("carol", true, at.plusMillis(1));
        try (DeliveryService ignored = Main.start(config);
             TopicReader<Delivery> nodeA = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-a"));
             TopicReader<Delivery> nodeB = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-b"))) {
            send(catalogue.presence(), "alice", aliceOnline);
            send(catalogue.presence(), "erin", new PresenceChanged("erin", true, at));
            // older than what erin's row holds by then: must not move it back
            send(catalogue.presence(), "erin", new PresenceChanged("erin", false, at.minusSeconds(60)));
            send(catalogue.presence(), "ghost", new PresenceChanged("ghost", true, at));
            nodeA.awaitMatching(item(aliceOnline), 2);
            nodeB.awaitMatching(item(aliceOnline), 1);
            // produced after alice's notice was relayed: once it is on node-a, anything else alice caused is too
            send(catalogue.presence(), "carol", carolOnline);
            nodeA.awaitMatching(item(carolOnline), 2);
            nodeB.awaitMatching(item(carolOnline), 1);

            assertEquals(List.of(
                    delivery("bob", aliceOnline, "node-a", "b1", "b3"),
                    delivery("carol", aliceOnline, "node-a", "c1"),
                    delivery("alice", carolOnline, "node-a", "a1"),
                    delivery("bob", carolOnline, "node-a", "b1", "b3")),
                    values(nodeA.poll(), r -> r.value().getItem() instanceof PresenceChanged));
            assertEquals(List.of(
                    delivery("bob", aliceOnline, "node-b", "b2"),
                    delivery("bob", carolOnline, "node-b", "b2")),
                    values(nodeB.poll(), r -> r.value().getItem() instanceof PresenceChanged));
            assertTrue(nodeA.poll().stream().allMatch(r -> r.key().equals(r.value().getUserId())));
            assertFalse(admin.listTopics().names().get().contains(catalogue.egress("node-c").name()));

            GroupOffsets.awaitCaughtUp(admin, config.presenceGroupId(), catalogue.presence().name(),
                    catalogue.presence().partitions());
            assertEquals(List.of(
                    List.of("alice", true, at),
                    List.of("carol", true, at.plusMillis(1)),
                    List.of("erin", true, at)),
                    database.rows("SELECT user_id, online, last_seen FROM presence ORDER BY user_id"));
        }
    }

    @Test
    void typingReachesOnlineMembersButNotTheTypistNorFromNonMembersAndStaleNoticesAreDropped() throws Exception {
        try (DeliveryService ignored = Main.start(config);
             TopicReader<Delivery> nodeA = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-a"));
             TopicReader<Delivery> nodeB = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-b"))) {
            // a new typing group starts at the end of the topic: type until the relay has its partitions
            await().atMost(TopicReader.TIMEOUT).until(() -> {
                send(catalogue.typing(), "g1", new Typing("g1", "alice", true, Instant.now()));
                return nodeA.poll().stream().anyMatch(typingOf("alice"));
            });
            Instant staleAt = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.MILLIS);
            send(catalogue.typing(), "g1", new Typing("g1", "alice", true, staleAt));
            send(catalogue.typing(), "g1", new Typing("g1", "erin", true, Instant.now()));
            // same conversation, same partition, after the two above
            Typing marker = new Typing("g1", "carol", false, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            send(catalogue.typing(), "g1", marker);

            assertEquals(List.of(
                    delivery("alice", marker, "node-a", "a1"), delivery("bob", marker, "node-a", "b1", "b3")),
                    values(nodeA.awaitMatching(item(marker), 2), r -> true));
            assertEquals(List.of(delivery("bob", marker, "node-b", "b2")),
                    values(nodeB.awaitMatching(item(marker), 1), r -> true));
            List<ConsumerRecord<String, Delivery>> relayed = Stream.concat(nodeA.poll().stream(), nodeB.poll().stream())
                    .filter(r -> r.value().getItem() instanceof Typing).toList();
            assertTrue(relayed.stream().noneMatch(r -> ((Typing) r.value().getItem()).getAt().equals(staleAt)),
                    "a stale notice was relayed");
            assertTrue(relayed.stream().noneMatch(typingOf("erin")), "a non-member's typing was relayed");
            assertTrue(relayed.stream().noneMatch(r -> r.value().getUserId().equals(
                    ((Typing) r.value().getItem()).getUserId())), "a typist got their own typing");
        }
    }

    @Test
    void aBlockEitherWayKeepsPresenceAndTypingFromCrossingBetweenTheTwoOnly() throws Exception {
        database.execute("INSERT INTO blocks (blocker_id, blocked_id, since) VALUES ('bob', 'carol', now())");
        try (DeliveryService ignored = Main.start(config);
             TopicReader<Delivery> nodeA = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-a"))) {
            Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            // the topic holds the other tests' deliveries too: only what this test caused counts
            Instant start = at.minusMillis(1);
            PresenceChanged carolOnline = new PresenceChanged("carol", true, at);
            PresenceChanged bobOnline = new PresenceChanged("bob", true, at.plusMillis(1));
            send(catalogue.presence(), "carol", carolOnline);
            send(catalogue.presence(), "bob", bobOnline);
            // alice, who blocked nobody, gets both: once she has, the relay is past them
            nodeA.awaitMatching(item(carolOnline), 1);
            nodeA.awaitMatching(item(bobOnline), 1);
            await().atMost(TopicReader.TIMEOUT).until(() -> {
                send(catalogue.typing(), "g1", new Typing("g1", "carol", true, Instant.now()));
                return nodeA.poll().stream().anyMatch(typingOf("carol"));
            });
            Typing bobTyping = new Typing("g1", "bob", true, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            send(catalogue.typing(), "g1", bobTyping);
            nodeA.awaitMatching(item(bobTyping), 1);

            List<Delivery> relayed = values(nodeA.poll(), r -> true);
            assertTrue(relayed.stream().anyMatch(d -> d.getUserId().equals("alice")
                    && d.getItem().equals(carolOnline)), "alice sees carol");
            assertTrue(relayed.stream().noneMatch(d -> d.getUserId().equals("bob")
                    && (d.getItem().equals(carolOnline) || d.getItem() instanceof Typing t && t.getUserId().equals("carol")
                    && t.getAt().isAfter(start))), "bob blocked carol");
            assertTrue(relayed.stream().noneMatch(d -> d.getUserId().equals("carol")
                    && (d.getItem().equals(bobOnline) || d.getItem().equals(bobTyping))), "carol was blocked by bob");
        } finally {
            database.execute("DELETE FROM blocks");
        }
    }

    private static Predicate<ConsumerRecord<String, Delivery>> item(Object item) {
        return r -> r.value().getItem().equals(item);
    }

    private static Predicate<ConsumerRecord<String, Delivery>> typingOf(String userId) {
        return r -> r.value().getItem() instanceof Typing typing && typing.getUserId().equals(userId);
    }

    private static Delivery delivery(String userId, Object item, String node, String... sessions) {
        return new Delivery(userId, Stream.of(sessions).map(s -> new SessionRoute(node, s)).toList(), item);
    }

    private static List<Delivery> values(List<ConsumerRecord<String, Delivery>> records,
                                         Predicate<ConsumerRecord<String, Delivery>> filter) {
        return records.stream().filter(filter).map(ConsumerRecord::value).toList();
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }
}
