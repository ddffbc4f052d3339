package io.kchat.delivery.reaper;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.delivery.DeliveryConfig;
import io.kchat.delivery.TestDatabase;
import io.kchat.delivery.TopicReader;
import io.kchat.events.SessionClosed;
import io.kchat.events.UserCommand;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Guarantee 8 on a real database and broker: sessions of dead or restarted nodes are closed, once. */
class SessionReaperIT {

    private static final Duration EXPIRY = Duration.ofSeconds(30);
    private static final Instant NOW = Instant.parse("2030-01-03T00:00:00Z");

    private static Topic<String, UserCommand> userInbound;
    private static TestDatabase database;
    private static DeliveryConfig config;
    private static KafkaProducer<byte[], byte[]> producer;
    private static TopicReader<UserCommand> reader;

    @BeforeAll
    static void setUp() {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        userInbound = new TopicCatalogue(SharedInfrastructure.uniquePrefix("SessionReaperIT")).userInbound();
        database = TestDatabase.fresh("SessionReaperIT");
        config = DeliveryConfig.of(bootstrap, "", database.settings());
        try (Admin admin = Admin.create(config.adminProperties())) {
            new TopicProvisioner(admin, (short) 1).ensure(List.of(userInbound));
        }
        producer = new KafkaProducer<>(config.producerProperties());
        reader = new TopicReader<>(bootstrap, userInbound);
    }

    @AfterAll
    static void tearDown() {
        reader.close();
        producer.close();
        database.close();
    }

    @BeforeEach
    void emptyDirectory() {
        database.execute("DELETE FROM sessions");
        database.execute("DELETE FROM nodes");
    }

    @Test
    void reapsSessionsOfExpiredMissingAndRestartedNodesButNotOfLiveOnes() throws Exception {
        database.node("live", "inc-2", 0);
        database.node("dead", "inc-1", 120);
        database.session("k-live", "u1", "live", "inc-2");
        database.session("k-old", "u1", "live", "inc-1"); // opened before the node restarted
        database.session("k-dead", "u2", "dead", "inc-1");
        database.session("k-ghost", "u3", "ghost", "inc-1"); // its node row is gone
        SessionReaper reaper = reaper(producer, userInbound.name(), 500);

        assertEquals(3, reaper.reapAll());
        assertEquals(0, reaper.reapAll());

        assertEquals(List.of(List.of("k-live")), database.rows("SELECT session_id FROM sessions"));
        List<ConsumerRecord<String, UserCommand>> closed = closedSessions("k-");
        assertEquals(Set.of(
                new SessionClosed("u1", "dev-u1", "k-old", "live", NOW),
                new SessionClosed("u2", "dev-u2", "k-dead", "dead", NOW),
                new SessionClosed("u3", "dev-u3", "k-ghost", "ghost", NOW)),
                closed.stream().map(r -> r.value().getCommand()).collect(Collectors.toSet()));
        assertEquals(3, closed.size());
        closed.forEach(r -> assertEquals(((SessionClosed) r.value().getCommand()).getUserId(), r.key()));
    }

    @Test
    void twoRacingReapersCloseEachSessionExactlyOnce() throws Exception {
        database.node("race", "inc-1", 120);
        database.execute("INSERT INTO sessions (session_id, user_id, device_id, node_id, incarnation, opened_at) "
                + "SELECT 'r-' || i, 'ru-' || (i % 30), 'd', 'race', 'inc-1', now() FROM generate_series(1, 300) i");
        ExecutorService threads = Executors.newFixedThreadPool(2);
        try (KafkaProducer<byte[], byte[]> otherInstance = new KafkaProducer<>(config.producerProperties())) {
            CyclicBarrier start = new CyclicBarrier(2);
            List<SessionReaper> reapers = List.of(reaper(producer, userInbound.name(), 25),
                    reaper(otherInstance, userInbound.name(), 25));
            List<Future<Integer>> reaped = reapers.stream().map(r -> threads.submit(() -> {
                start.await();
                return r.reapAll();
            })).toList();
            assertEquals(300, reaped.get(0).get() + reaped.get(1).get());
        } finally {
            threads.shutdownNow();
        }

        assertEquals(List.of(List.of(0L)), database.rows("SELECT count(*) FROM sessions"));
        List<ConsumerRecord<String, UserCommand>> closed = closedSessions("r-");
        assertEquals(300, closed.size());
        assertEquals(300, closed.stream().map(r -> ((SessionClosed) r.value().getCommand()).getSessionId())
                .distinct().count());
    }

    @Test
    void keepsTheSessionsWhenSessionClosedIsNotAcknowledged() {
        database.node("dead", "inc-1", 120);
        database.session("f-1", "u9", "dead", "inc-1");
        Map<String, Object> failing = new HashMap<>(config.producerProperties());
        failing.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 500);
        try (KafkaProducer<byte[], byte[]> nowhere = new KafkaProducer<>(failing)) {
            // no such topic (and no auto-creation): the send is never acknowledged
            SessionReaper reaper = reaper(nowhere, userInbound.name() + "-missing", 500);
            assertThrows(KafkaException.class, reaper::reapOnce);
        }
        assertEquals(List.of(List.of("f-1")), database.rows("SELECT session_id FROM sessions"));
    }

    private static SessionReaper reaper(KafkaProducer<byte[], byte[]> producer, String topic, int batchLimit) {
        return new SessionReaper(database.pool(), producer, topic, Duration.ofSeconds(5), EXPIRY, batchLimit,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    /** Every SessionClosed in the topic now whose session id starts with {@code prefix}. */
    private static List<ConsumerRecord<String, UserCommand>> closedSessions(String prefix) {
        return reader.readToEnd().stream()
                .filter(r -> r.value().getCommand() instanceof SessionClosed c && c.getSessionId().startsWith(prefix))
                .toList();
    }
}
