package io.kchat.delivery.archive;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.delivery.DeliveryConfig;
import io.kchat.delivery.DeliveryService;
import io.kchat.delivery.GroupOffsets;
import io.kchat.delivery.Main;
import io.kchat.delivery.TestDatabase;
import io.kchat.delivery.TopicReader;
import io.kchat.events.Attachment;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.Envelope;
import io.kchat.events.MessageUpdate;
import io.kchat.events.MessageUpdateKind;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chat.message-updates into the archive (D13) on a real broker and database: edits, deletes and reactions give each
 * message its current state, a replay of the topics changes nothing, and an update read before its message waits for
 * it.
 */
class MessageUpdatesArchiveIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();
    private static final Instant T0 = Instant.parse("2030-01-02T00:00:00Z");
    private static final String THUMBS_UP = "\uD83D\uDC4D";
    private static final String HEART = "\u2764";
    private static final String JOY = "\uD83D\uDE02";

    private static String prefix;
    private static TopicCatalogue catalogue;
    private static TestDatabase database;
    private static DeliveryConfig config;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;
    private static int updates;

    @BeforeAll
    static void setUp() {
        prefix = SharedInfrastructure.uniquePrefix("MessageUpdatesArchiveIT");
        catalogue = new TopicCatalogue(prefix);
        database = TestDatabase.fresh("MessageUpdatesArchiveIT");
        config = DeliveryConfig.of(BOOTSTRAP, prefix, database.settings()).withGroupId(prefix + "delivery");
        admin = Admin.create(config.adminProperties());
        new TopicProvisioner(admin, (short) 1).ensure(catalogue.shared());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                new ByteArraySerializer(), new ByteArraySerializer());
        database.users("ann", "ben", "cat");
        for (String conversation : List.of("plain", "secret", "early", "refused", "files")) {
            database.conversation(conversation, "ann", "ben", "cat");
        }
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        admin.close();
        database.close();
    }

    @Test
    void editsDeletesAndReactionsMakeTheCurrentStateAndAReplayChangesNothing() throws Exception {
        publish(message("plain", 1, "ann", null));
        publish(message("plain", 2, "ben", 1L));
        publish(message("plain", 3, "ann", 2L));
        publish(edit("plain", 1, "ann", "edited once", T0.plusSeconds(10)));
        publish(edit("plain", 1, "ann", "edited twice", T0.plusSeconds(11)));
        publish(react("plain", 2, "ann", THUMBS_UP, false));
        publish(react("plain", 2, "ben", THUMBS_UP, false));
        publish(react("plain", 2, "ann", HEART, false));
        publish(react("plain", 2, "ann", HEART, true));
        publish(react("plain", 2, "ann", HEART, false)); // added, removed, added again: added
        publish(react("plain", 2, "cat", JOY, false));
        publish(react("plain", 2, "cat", JOY, true));
        // content that a replay could bring back if a deleted message took updates
        publish(edit("plain", 3, "ann", "edited before its delete", T0.plusSeconds(12)));
        publish(react("plain", 3, "ben", THUMBS_UP, false));
        publish(delete("plain", 3, "ben", T0.plusSeconds(13)));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(
                    // [seq, body, reply_to, edited_at, deleted]
                    Arrays.asList(1L, "edited twice", null, T0.plusSeconds(11), false),
                    Arrays.asList(2L, "body 2", 1L, null, false),
                    Arrays.asList(3L, "", 2L, null, true)), database.rows(
                    "SELECT seq, body, reply_to, edited_at, deleted FROM messages "
                            + "WHERE conversation_id = 'plain' ORDER BY seq")));
        }
        assertEquals(List.of(
                List.of(2L, "ann", HEART),
                List.of(2L, "ann", THUMBS_UP),
                List.of(2L, "ben", THUMBS_UP)), database.rows("SELECT seq, user_id, key FROM message_reactions "
                + "WHERE conversation_id = 'plain' ORDER BY seq, user_id, key COLLATE \"C\""));
        assertEquals(List.of(List.of(1L, 2L), List.of(2L, 7L)), database.rows("SELECT seq, count(*) "
                + "FROM message_updates_applied WHERE conversation_id = 'plain' GROUP BY seq ORDER BY seq"),
                "a deleted message keeps no applied updates: nothing applies to it any more");
        assertReplayChangesNothing("replay-plain");
    }

    @Test
    void attachmentsAreWrittenOnceWithTheirMessageKeptByAnEditAndRemovedByADelete() throws Exception {
        ChatMessage photos = message("files", 1, "ann", null);
        photos.setAttachments(List.of(new Attachment("media-a", "image/png", 2048L, "cat.png", 640, 480, null),
                new Attachment("media-b", "image/jpeg", 4096L, null, 100, 50, null)));
        ChatMessage voice = message("files", 2, "ben", null);
        voice.setBody("");
        voice.setAttachments(List.of(new Attachment("media-c", "audio/ogg", 999L, null, null, null, 4200L)));
        publish(photos);
        publish(voice);
        publish(photos); // written twice on the topic, as a processor retry would
        publish(edit("files", 1, "ann", "captioned later", T0.plusSeconds(50)));
        publish(delete("files", 2, "ben", T0.plusSeconds(51)));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(
                    Arrays.asList(1L, "captioned later", false), Arrays.asList(2L, "", true)), database.rows(
                    "SELECT seq, body, deleted FROM messages WHERE conversation_id = 'files' ORDER BY seq")));
        }
        assertEquals(List.of(
                Arrays.asList(1L, 0, "media-a", "image/png", 2048L, "cat.png", 640, 480, null),
                Arrays.asList(1L, 1, "media-b", "image/jpeg", 4096L, null, 100, 50, null)), database.rows(
                "SELECT seq, position::int, media_id, content_type, size, name, width, height, duration_ms "
                        + "FROM message_attachments WHERE conversation_id = 'files' ORDER BY seq, position"),
                "the edit kept the photos, the delete took the voice note");
        assertReplayChangesNothing("replay-files");
    }

    @Test
    void anEncryptedEditReplacesTheEnvelopesAndADeleteRemovesThem() throws Exception {
        ChatMessage first = message("secret", 1, "ann", null);
        first.setBody("");
        first.setCiphertext(ciphertext("v1", "ann-phone", envelope("ben", "ben-phone", 0x01),
                envelope("cat", "cat-phone", 0x02)));
        ChatMessage second = message("secret", 2, "ben", 1L);
        second.setBody("");
        second.setCiphertext(ciphertext("v1", "ben-phone", envelope("ann", "ann-phone", 0x03)));
        publish(first);
        publish(second);
        MessageUpdate edit = edit("secret", 1, "ann", "plaintext that must not be stored", T0.plusSeconds(20));
        edit.setCiphertext(ciphertext("v2", "ann-laptop", envelope("ben", "ben-phone", 0x0a),
                envelope("ben", "ben-laptop", 0x0b)));
        publish(edit);
        publish(react("secret", 2, "cat", THUMBS_UP, false));
        publish(delete("secret", 2, "ben", T0.plusSeconds(21)));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(
                    // [seq, body, algorithm, edit_device_id, edited_at, deleted]
                    Arrays.asList(1L, "", "v2", "ann-laptop", T0.plusSeconds(20), false),
                    Arrays.asList(2L, "", "v1", null, null, true)), database.rows(
                    "SELECT seq, body, algorithm, edit_device_id, edited_at, deleted FROM messages "
                            + "WHERE conversation_id = 'secret' ORDER BY seq")));
        }
        assertEquals(List.of(
                List.of(1L, "ben", "ben-laptop", "0b"),
                List.of(1L, "ben", "ben-phone", "0a")), database.rows("SELECT seq, user_id, device_id, "
                + "encode(ciphertext, 'hex') FROM message_envelopes WHERE conversation_id = 'secret' ORDER BY 1, 2, 3"));
        assertEquals(List.of(List.of(0L)), database.rows(
                "SELECT count(*) FROM message_reactions WHERE conversation_id = 'secret'"));
        assertReplayChangesNothing("replay-secret");
    }

    @Test
    void anUpdateReadBeforeItsMessageWaitsForIt() throws Exception {
        // the updates only: the archiver reads them with nothing to apply them to
        RecordMetadata held = publish(edit("early", 1, "ann", "edited early", T0.plusSeconds(30))).get();
        publish(react("early", 2, "ben", THUMBS_UP, false));
        publish(react("early", 2, "ben", THUMBS_UP, true));
        publish(react("early", 2, "cat", HEART, false));
        producer.flush();
        String partition = held.topic() + "-" + held.partition();
        // a group of its own, which commits nothing of that partition before it has read it
        DeliveryConfig fresh = config.withGroupId(prefix + "early");
        try (DeliveryService ignored = Main.start(fresh)) {
            // read and left for later: its partition committed up to the first update and staying there
            await().atMost(TopicReader.TIMEOUT).until(
                    () -> GroupOffsets.committed(admin, fresh.archiveGroupId()).get(partition),
                    offset -> offset != null && offset == held.offset());
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).until(
                    () -> GroupOffsets.committed(admin, fresh.archiveGroupId()).get(partition),
                    offset -> offset == held.offset());
            assertEquals(List.of(List.of(0L)), database.rows(
                    "SELECT count(*) FROM message_updates_applied WHERE conversation_id = 'early'"));

            publish(message("early", 1, "ann", null));
            publish(message("early", 2, "ann", null));
            producer.flush();
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> {
                assertEquals(List.of(
                        Arrays.asList(1L, "edited early", T0.plusSeconds(30)),
                        Arrays.asList(2L, "body 2", null)), database.rows(
                        "SELECT seq, body, edited_at FROM messages WHERE conversation_id = 'early' ORDER BY seq"));
                assertEquals(List.of(List.of(2L, "cat", HEART)), database.rows("SELECT seq, user_id, key "
                        + "FROM message_reactions WHERE conversation_id = 'early'"));
            });
            await().atMost(TopicReader.TIMEOUT).until(
                    () -> GroupOffsets.committed(admin, fresh.archiveGroupId()).get(partition),
                    offset -> offset == held.offset() + 4);
        }
    }

    @Test
    void anUpdateOfAMessageTheDatabaseRefusedDoesNotHoldUpTheOthers() throws Exception {
        publish(message("refused", 1, "ann", null));
        ChatMessage refused = message("refused", 2, "ann", null);
        refused.setBody("nul \u0000 inside"); // PostgreSQL text cannot hold it: the message is skipped
        publish(refused);
        publish(react("refused", 2, "ben", THUMBS_UP, false));
        publish(react("refused", 1, "ben", HEART, false));
        producer.flush();

        try (DeliveryService ignored = Main.start(config)) {
            await().atMost(TopicReader.TIMEOUT).untilAsserted(() -> assertEquals(List.of(List.of(1L, "ben", HEART)),
                    database.rows("SELECT seq, user_id, key FROM message_reactions "
                            + "WHERE conversation_id = 'refused'")));
        }
        // the refused message's seq is taken all the same: the watermark is past it
        assertEquals(List.of(List.of(2L, 1L)), database.rows("SELECT c.last_seq, count(m.seq) FROM conversations c "
                + "LEFT JOIN messages m USING (conversation_id) WHERE conversation_id = 'refused' GROUP BY c.last_seq"));
    }

    /** A new consumer group reads every topic from the start: every row stays as it was, not even rewritten. */
    private static void assertReplayChangesNothing(String group) throws Exception {
        Map<String, Long> archived = GroupOffsets.committed(admin, config.archiveGroupId());
        List<List<List<Object>>> before = snapshot();
        DeliveryConfig replay = config.withGroupId(prefix + group);
        try (DeliveryService ignored = Main.start(replay)) {
            await().atMost(TopicReader.TIMEOUT).until(
                    () -> GroupOffsets.committed(admin, replay.archiveGroupId()).equals(archived));
        }
        assertEquals(before, snapshot());
    }

    /** Every archived row with its row version (xmin), so that even a rewrite of equal values shows. */
    private static List<List<List<Object>>> snapshot() {
        List<List<List<Object>>> tables = new ArrayList<>();
        tables.add(database.rows("SELECT xmin::text, m::text FROM messages m ORDER BY conversation_id, seq"));
        tables.add(database.rows("SELECT xmin::text, e::text FROM message_envelopes e "
                + "ORDER BY conversation_id, seq, user_id, device_id"));
        tables.add(database.rows("SELECT xmin::text, r::text FROM message_reactions r "
                + "ORDER BY conversation_id, seq, user_id, key"));
        tables.add(database.rows("SELECT xmin::text, a::text FROM message_updates_applied a "
                + "ORDER BY conversation_id, seq, update_id"));
        tables.add(database.rows("SELECT xmin::text, a::text FROM message_attachments a "
                + "ORDER BY conversation_id, seq, position"));
        return tables;
    }

    private static ChatMessage message(String conversationId, long seq, String sender, Long replyTo) {
        return new ChatMessage(conversationId, seq, "m-" + conversationId + "-" + seq,
                "id-" + conversationId + "-" + seq, sender, "dev-" + sender, "body " + seq, T0.plusSeconds(seq), null,
                replyTo, List.of(), false);
    }

    private static MessageUpdate edit(String conversationId, long seq, String userId, String body, Instant ts) {
        return update(conversationId, seq, MessageUpdateKind.EDIT, userId, body, null, false, ts);
    }

    private static MessageUpdate delete(String conversationId, long seq, String userId, Instant ts) {
        return update(conversationId, seq, MessageUpdateKind.DELETE, userId, null, null, false, ts);
    }

    private static MessageUpdate react(String conversationId, long seq, String userId, String key, boolean remove) {
        return update(conversationId, seq, MessageUpdateKind.REACTION, userId, null, key, remove, T0.plusSeconds(40));
    }

    /** updateIds as the conversation side makes them: unique per update, opaque to the archive. */
    private static MessageUpdate update(String conversationId, long seq, MessageUpdateKind kind, String userId,
                                        String body, String key, boolean remove, Instant ts) {
        return new MessageUpdate(conversationId, seq, "u-" + conversationId + "-" + (++updates), kind, userId, body,
                null, key, remove, ts);
    }

    private static Ciphertext ciphertext(String algorithm, String senderDeviceId, Envelope... envelopes) {
        return new Ciphertext(algorithm, senderDeviceId, List.of(envelopes));
    }

    private static Envelope envelope(String userId, String deviceId, int... bytes) {
        byte[] ciphertext = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            ciphertext[i] = (byte) bytes[i];
        }
        return new Envelope(userId, deviceId, ByteBuffer.wrap(ciphertext));
    }

    private static Future<RecordMetadata> publish(ChatMessage message) {
        return publish(catalogue.messages(), message.getConversationId(), message);
    }

    private static Future<RecordMetadata> publish(MessageUpdate update) {
        return publish(catalogue.messageUpdates(), update.getConversationId(), update);
    }

    private static <V> Future<RecordMetadata> publish(Topic<String, V> topic, String key, V value) {
        return producer.send(new ProducerRecord<>(topic.name(), key.getBytes(StandardCharsets.UTF_8),
                topic.valueSerde().serializer().serialize(topic.name(), value)));
    }
}
