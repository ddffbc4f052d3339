package io.kchat.delivery.archive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.delivery.DeliveryConfig;
import io.kchat.delivery.DeliveryService;
import io.kchat.delivery.GroupOffsets;
import io.kchat.delivery.Main;
import io.kchat.delivery.TestDatabase;
import io.kchat.delivery.TopicReader;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.Envelope;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The archive projection (D9) on a real broker and database: batches, cursors, replay, read_committed. */
class ArchiverIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();
    private static final Instant T0 = Instant.parse("2030-01-02T00:00:00Z");
    private static final String MESSAGE_COLUMNS =
            "conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts";

    private static String prefix;
    private static TopicCatalogue catalogue;
    private static TestDatabase database;
    private static DeliveryConfig config;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void setUp() {
        prefix = SharedInfrastructure.uniquePrefix("ArchiverIT");
        catalogue = new TopicCatalogue(prefix);
        database = TestDatabase.fresh("ArchiverIT");
        config = DeliveryConfig.of(BOOTSTRAP, prefix, database.settings()).withGroupId(prefix + "delivery");
        admin = Admin.create(config.adminProperties());
        new TopicProvisioner(admin, (short) 1).ensure(catalogue.shared());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                new ByteArraySerializer(), new ByteArraySerializer());
        database.users("ann", "ben", "cat");
        database.conversation("c1", "ann", "ben", "cat");
        database.conversation("c2", "ann", "ben");
        database.conversation("c3", "ann", "ben");
        database.conversation("c4", "ann");
        database.conversation("c5", "ann");
        database.conversation("c6", "ann", "ben");
        database.conversation("c7", "ann", AssistantUser.ID);
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        admin.close();
        database.close();
    }

    @Test
    void archivesABatchProjectsWatermarksAndCursorsAndAReplayChangesNothing() throws Exception {
        produce(catalogue.messages().name(), "c1", "not avro".getBytes(StandardCharsets.UTF_8));
        send(catalogue.messages(), "c1", message("c1", 1, "ann", T0.plusSeconds(1)));
        send(catalogue.messages(), "c1", message("c1", 2, "ann", T0.plusSeconds(2)));
        send(catalogue.messages(), "c1", message("c1", 3, "ben", T0.plusSeconds(3)));
        for (int seq = 1; seq <= 300; seq++) {
            send(catalogue.messages(), "c2", message("c2", seq, seq % 2 == 1 ? "ann" : "ben", T0.plusSeconds(seq)));
        }
        // no conversation row: archived all the same, nothing else to project
        send(catalogue.messages(), "c-unknown", message("c-unknown", 1, "zed", T0));
        // PostgreSQL text cannot hold NUL: that one message is skipped, not retried forever
        send(catalogue.messages(), "c4", message("c4", 1, "ann", T0));
        ChatMessage refused = message("c4", 2, "ann", T0.plusSeconds(1));
        refused.setBody("nul \u0000 inside");
        send(catalogue.messages(), "c4", refused);
        send(catalogue.messages(), "c4", message("c4", 3, "ann", T0.plusSeconds(2)));
        // cursors only move up, whatever order receipts arrive in
        send(catalogue.receipts(), "c1", receipt("c1", "cat", ReceiptKind.READ, 3));
        send(catalogue.receipts(), "c1", receipt("c1", "cat", ReceiptKind.READ, 1));
        send(catalogue.receipts(), "c1", receipt("c1", "cat", ReceiptKind.DELIVERED, 3));
        send(catalogue.receipts(), "c1", receipt("c1", "cat", ReceiptKind.DELIVERED, 2));
        send(catalogue.receipts(), "c1", receipt("c1", "ann", ReceiptKind.READ, 3));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> {
                assertEquals(List.of(
                        List.of("c1", 1L, "m-c1-1", "id-c1-1", "ann", "dev-ann", "body 1", T0.plusSeconds(1)),
                        List.of("c1", 2L, "m-c1-2", "id-c1-2", "ann", "dev-ann", "body 2", T0.plusSeconds(2)),
                        List.of("c1", 3L, "m-c1-3", "id-c1-3", "ben", "dev-ben", "body 3", T0.plusSeconds(3))),
                        database.rows("SELECT " + MESSAGE_COLUMNS + " FROM messages "
                                + "WHERE conversation_id = 'c1' ORDER BY seq"));
                assertEquals(List.of(List.of(false, 0L)), database.rows("SELECT bool_or(encrypted), "
                        + "count(algorithm) FROM messages WHERE conversation_id IN ('c1', 'c2')"));
                assertEquals(List.of(List.of(300L, 1L, 300L)), database.rows(
                        "SELECT count(*), min(seq), max(seq) FROM messages WHERE conversation_id = 'c2'"));
                assertEquals(List.of(List.of(1L)), database.rows(
                        "SELECT count(*) FROM messages WHERE conversation_id = 'c-unknown'"));
                assertEquals(List.of(List.of(1L), List.of(3L)), database.rows(
                        "SELECT seq FROM messages WHERE conversation_id = 'c4' ORDER BY seq"));
                assertEquals(List.of(
                        List.of("c1", 3L, T0.plusSeconds(3)),
                        List.of("c2", 300L, T0.plusSeconds(300))), database.rows(
                        "SELECT conversation_id, last_seq, last_activity_at FROM conversations "
                                + "WHERE conversation_id IN ('c1', 'c2') ORDER BY 1"));
                assertEquals(List.of(
                        // [conversation, user, read_seq, delivered_seq]: a sender has read what they sent
                        List.of("c1", "ann", 3L, 0L),
                        List.of("c1", "ben", 3L, 0L),
                        List.of("c1", "cat", 3L, 3L),
                        List.of("c2", "ann", 299L, 0L),
                        List.of("c2", "ben", 300L, 0L)), database.rows(
                        "SELECT conversation_id, user_id, read_seq, delivered_seq FROM conversation_members "
                                + "WHERE conversation_id IN ('c1', 'c2') ORDER BY 1, 2"));
            });
        }
        Map<String, Long> archived = GroupOffsets.committed(admin, config.archiveGroupId());
        List<List<List<Object>>> before = snapshot();

        DeliveryConfig replay = config.withGroupId(prefix + "replay");
        try (DeliveryService ignored = Main.start(replay)) {
            await().atMost(TopicReader.TIMEOUT).until(
                    () -> GroupOffsets.committed(admin, replay.archiveGroupId()).equals(archived));
        }
        assertEquals(before, snapshot());
    }

    @Test
    void archivesAnEncryptedMessageWithoutPlaintextAndEachEnvelopeOnce() throws Exception {
        ChatMessage encrypted = message("c6", 1, "ann", T0);
        // not a body an encrypted message should carry: if one slips through, the archive still must not keep it
        encrypted.setBody("plaintext that must not be stored");
        encrypted.setCiphertext(new Ciphertext("p256-aesgcm", "dev-ann", List.of(
                envelope("ann", "ann-phone", 0x00, 0x01),
                envelope("ben", "ben-phone", 0xff, 0x02),
                envelope("ben", "ben-laptop", 0x03))));
        send(catalogue.messages(), "c6", encrypted);
        send(catalogue.messages(), "c6", encrypted); // a producer retry: the same message twice in the topic
        send(catalogue.messages(), "c6", message("c6", 2, "ben", T0.plusSeconds(1)));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(
                            List.of(1L, "", true, "p256-aesgcm"),
                            List.of(2L, "body 2", false, "none")),
                    database.rows("SELECT seq, body, encrypted, coalesce(algorithm, 'none') FROM messages "
                            + "WHERE conversation_id = 'c6' ORDER BY seq")));
        }
        List<List<Object>> envelopes = List.of(
                List.of(1L, "ann", "ann-phone", "0001"),
                List.of(1L, "ben", "ben-laptop", "03"),
                List.of(1L, "ben", "ben-phone", "ff02"));
        assertEquals(envelopes, database.rows("SELECT seq, user_id, device_id, encode(ciphertext, 'hex') "
                + "FROM message_envelopes WHERE conversation_id = 'c6' ORDER BY 1, 2, 3"));
        Map<String, Long> archived = GroupOffsets.committed(admin, config.archiveGroupId());
        List<List<List<Object>>> before = snapshot();

        DeliveryConfig replay = config.withGroupId(prefix + "replay-encrypted");
        try (DeliveryService ignored = Main.start(replay)) {
            await().atMost(TopicReader.TIMEOUT).until(
                    () -> GroupOffsets.committed(admin, replay.archiveGroupId()).equals(archived));
        }
        assertEquals(before, snapshot());
        assertEquals(envelopes, database.rows("SELECT seq, user_id, device_id, encode(ciphertext, 'hex') "
                + "FROM message_envelopes WHERE conversation_id = 'c6' ORDER BY 1, 2, 3"));
    }

    @Test
    void archivesWhetherAnAssistantsAnswerSaysTheModelFailed() throws Exception {
        send(catalogue.messages(), "c7", message("c7", 1, "ann", T0));
        for (long seq = 2; seq <= 3; seq++) {
            ChatMessage answer = message("c7", seq, AssistantUser.ID, T0.plusSeconds(seq));
            answer.setReplyTo(1L);
            answer.setFailed(seq == 3);
            send(catalogue.messages(), "c7", answer);
        }
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(
                            List.of(1L, "ann", -1L, false),
                            List.of(2L, AssistantUser.ID, 1L, false),
                            List.of(3L, AssistantUser.ID, 1L, true)),
                    database.rows("SELECT seq, sender_id, coalesce(reply_to, -1), failed FROM messages "
                            + "WHERE conversation_id = 'c7' ORDER BY seq")));
        }
    }

    @Test
    void doesNotArchiveAnAbortedTransaction() throws Exception {
        try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP,
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "aborting"),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            ChatMessage aborted = message("c3", 1, "ann", T0);
            aborted.setBody("aborted");
            transactional.send(record(catalogue.messages(), "c3", aborted)).get();
            transactional.abortTransaction();
        }
        // same key, same partition, after the aborted one: read uncommitted, the aborted body would win
        ChatMessage committed = message("c3", 1, "ann", T0);
        committed.setBody("committed");
        send(catalogue.messages(), "c3", committed);

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(List.of("committed")),
                    database.rows("SELECT body FROM messages WHERE conversation_id = 'c3'")));
        }
    }

    @Test
    void aBatchTheDatabaseCannotTakeNowIsArchivedLater() throws Exception {
        try (DeliveryService ignored = Main.start(config)) {
            database.execute("ALTER TABLE messages RENAME TO messages_away");
            long rollbacks = rollbacks();
            try {
                send(catalogue.messages(), "c5", message("c5", 1, "ann", T0));
                // the archiver tried, failed and rolled back
                await().atMost(TopicReader.TIMEOUT).until(() -> rollbacks() > rollbacks);
            } finally {
                database.execute("ALTER TABLE messages_away RENAME TO messages");
            }
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(List.of(1L, 1L)),
                    database.rows("SELECT m.seq, c.last_seq FROM messages m "
                            + "JOIN conversations c USING (conversation_id) WHERE conversation_id = 'c5'")));
        }
    }

    private static long rollbacks() {
        return (Long) database.rows("SELECT xact_rollback FROM pg_stat_database WHERE datname = current_database()")
                .getFirst().getFirst();
    }

    /**
     * Every projected row with its row version (xmin), so that even a rewrite of equal values shows;
     * messages as a digest per conversation, to keep a failure readable.
     */
    private static List<List<List<Object>>> snapshot() {
        List<List<List<Object>>> tables = new ArrayList<>();
        tables.add(database.rows("SELECT conversation_id, count(*), "
                + "md5(string_agg(xmin::text || m::text, '|' ORDER BY seq)) "
                + "FROM messages m GROUP BY conversation_id ORDER BY conversation_id"));
        tables.add(database.rows("SELECT xmin::text, conversation_id, seq, user_id, device_id, "
                + "encode(ciphertext, 'hex') FROM message_envelopes ORDER BY conversation_id, seq, user_id, device_id"));
        tables.add(database.rows("SELECT xmin::text, conversation_id, last_seq, last_activity_at FROM conversations "
                + "ORDER BY conversation_id"));
        tables.add(database.rows("SELECT xmin::text, conversation_id, user_id, read_seq, delivered_seq "
                + "FROM conversation_members ORDER BY conversation_id, user_id"));
        return tables;
    }

    private static ChatMessage message(String conversationId, long seq, String sender, Instant ts) {
        return new ChatMessage(conversationId, seq, "m-" + conversationId + "-" + seq,
                "id-" + conversationId + "-" + seq, sender, "dev-" + sender, "body " + seq, ts, null, null, List.of(), false);
    }

    private static Envelope envelope(String userId, String deviceId, int... bytes) {
        byte[] ciphertext = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ciphertext[i] = (byte) bytes[i];
        }
        return new Envelope(userId, deviceId, ByteBuffer.wrap(ciphertext));
    }

    private static Receipt receipt(String conversationId, String userId, ReceiptKind kind, long seq) {
        return new Receipt(conversationId, userId, kind, seq, T0);
    }

    private static <V> ProducerRecord<byte[], byte[]> record(Topic<String, V> topic, String key, V value) {
        return new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value));
    }

    private static <V> void send(Topic<String, V> topic, String key, V value) {
        producer.send(record(topic, key, value));
    }

    private static void produce(String topic, String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }
}
