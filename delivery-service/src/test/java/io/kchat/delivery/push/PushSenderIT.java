package io.kchat.delivery.push;

import io.kchat.infra.WebPushReceiver;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.kchat.delivery.DatabaseSettings;
import io.kchat.delivery.DeliveryConfig;
import io.kchat.delivery.DeliveryService;
import io.kchat.delivery.GroupOffsets;
import io.kchat.delivery.Main;
import io.kchat.delivery.TestDatabase;
import io.kchat.events.PushDue;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Health;
import io.kchat.schemas.PushEndpoints;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyPair;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The push sender on a real broker and database, pushing to a local Web Push service that decrypts and verifies
 * every push (WebPushReceiver) and to a local push gateway. One delivery-service runs for most tests, each test with
 * its own users; the restart and policy tests run their own, on their own topics.
 */
class PushSenderIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");
    /** Loopback over http: the local receivers. */
    private static final PushEndpoints.Policy LOCAL = new PushEndpoints.Policy(true, true);
    private static final int DEVICE_RATE = 3;

    private static TestDatabase database;
    private static Admin admin;
    private static KafkaProducer<String, PushDue> producer;
    private static WebPushReceiver receiver;
    private static HttpServer gateway;
    private static final List<JsonNode> gatewayRequests = new CopyOnWriteArrayList<>();
    private static final Set<String> rejectedKeys = Set.of("pk-bad");
    private static SimpleMeterRegistry registry;
    private static TopicCatalogue catalogue;
    private static DeliveryService service;

    @BeforeAll
    static void setUp() throws Exception {
        database = TestDatabase.fresh("PushSenderIT");
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                TopicCatalogue.PUSH.keySerde().serializer(), TopicCatalogue.PUSH.valueSerde().serializer());
        KeyPair vapid = WebPushReceiver.p256KeyPair();
        byte[] vapidPublic = WebPushReceiver.uncompressed((ECPublicKey) vapid.getPublic());
        database.execute("INSERT INTO vapid_keys (key_id, private_key, public_key, created_at) VALUES (?, ?, ?, ?)",
                "k1", vapid.getPrivate().getEncoded(), vapidPublic, utc(CREATED));
        receiver = WebPushReceiver.start(vapidPublic);
        gateway = startGateway();
        user("bob", "Bob Builder");

        String prefix = SharedInfrastructure.uniquePrefix("PushSenderIT");
        catalogue = new TopicCatalogue(prefix);
        DeliveryConfig config = config(prefix, LOCAL);
        admin = Admin.create(config.adminProperties());
        registry = new SimpleMeterRegistry();
        service = Main.start(config, registry, new Health());
    }

    @AfterAll
    static void tearDown() throws Exception {
        if (service != null) {
            service.close();
        }
        receiver.close();
        gateway.stop(0);
        producer.close();
        admin.close();
        database.close();
    }

    private static DeliveryConfig config(String prefix, PushEndpoints.Policy policy) {
        DatabaseSettings settings = database.settings();
        PushConfig push = PushConfig.DEFAULTS.withEndpointPolicy(policy).withDeviceRate(DEVICE_RATE)
                .withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(5))
                .withGatewayUrl(URI.create("http://127.0.0.1:" + gateway.getAddress().getPort() + "/notify"));
        return DeliveryConfig.of(BOOTSTRAP, prefix,
                        new DatabaseSettings(settings.url(), settings.user(), settings.password(), 8))
                .withGroupId(prefix + "delivery").withPush(push);
    }

    // ------------------------------------------------------------------------------------------------- the tests

    @Test
    void aDuePushArrivesDecryptedAndContentFreeWithTheListsUnreadCount() throws Exception {
        user("u1", "Ann");
        devices("u1", "d1", "d2");
        conversation("cv1", false, "u1", "bob");
        archived("cv1", 1, "bob", "one");
        archived("cv1", 2, "u1", "mine");
        archived("cv1", 3, "bob", "three");
        WebPushReceiver.Handed handed = webPush("u1", "d1", false);

        // d2 has no subscription: nothing for it
        send(due("u1", "cv1", 3, 1, false, "d1", "d2"));

        List<WebPushReceiver.Received> pushes = awaitDelivered(handed, 1);
        assertEquals(Map.of("type", "message", "conversationId", "cv1", "seq", 3, "senderId", "bob",
                "unread", 2), asMap(pushes.getFirst().message()));
        assertEquals(String.valueOf(Duration.ofDays(1).toSeconds()), pushes.getFirst().headers().get("TTL"));
        assertEquals(WebPushTransport.topic("cv1"), pushes.getFirst().headers().get("Topic"));
        awaitDeliveries("u1", List.of(List.of("d1", "cv1", 3L, "sent", "", 1)));
        assertEquals(List.of(), receiver.problems());
        // counted just after the outcome is recorded
        await().atMost(TIMEOUT).until(() -> registry.get(PushMetrics.SENT).tag("kind", "webpush").counter().count()
                >= 1 && registry.get(PushMetrics.LATENCY).timer().count() >= 1);
        // sentAt was 3 s before the PushDue was produced
        assertTrue(registry.get(PushMetrics.LATENCY).timer().max(java.util.concurrent.TimeUnit.SECONDS) >= 3);
    }

    @Test
    void previewsOnlyWhereAskedAndTheConversationIsPlain() throws Exception {
        user("u2", "Cat");
        devices("u2", "d1", "d2");
        conversation("cv2", false, "u2", "bob");
        conversation("cv2e", true, "u2", "bob");
        conversation("cv2late", false, "u2", "bob");
        String emoji = "\uD83D\uDE00";
        archived("cv2", 1, "bob", emoji.repeat(250));
        archived("cv2e", 1, "bob", "");
        WebPushReceiver.Handed withPreviews = webPush("u2", "d1", true);
        WebPushReceiver.Handed without = webPush("u2", "d2", false);

        send(due("u2", "cv2", 1, 1, false, "d1", "d2"));
        List<WebPushReceiver.Received> previewed = awaitDelivered(withPreviews, 1);
        JsonNode message = previewed.getFirst().message();
        assertEquals("Bob Builder", message.path("senderName").asText());
        assertEquals(emoji.repeat(200), message.path("body").asText());
        JsonNode bare = awaitDelivered(without, 1).getFirst().message();
        assertFalse(bare.has("senderName") || bare.has("body"), bare.toString());

        // an encrypted conversation: the push is sent, without a preview
        send(due("u2", "cv2e", 1, 1, true, "d1"));
        JsonNode encrypted = awaitDelivered(withPreviews, 2).get(1).message();
        assertEquals("cv2e", encrypted.path("conversationId").asText());
        assertFalse(encrypted.has("senderName") || encrypted.has("body"), encrypted.toString());

        // the archive does not have the message: sent without the preview rather than held back
        send(due("u2", "cv2late", 7, 1, false, "d1"));
        JsonNode late = awaitDelivered(withPreviews, 3).get(2).message();
        assertEquals(7, late.path("seq").asLong());
        assertFalse(late.has("body"), late.toString());
    }

    @Test
    void nothingForAMutedConversationOneWhenTheMuteHasExpired() throws Exception {
        user("u3", "Dan");
        devices("u3", "d1");
        conversation("cv3m", false, "u3", "bob");
        conversation("cv3x", false, "u3", "bob");
        conversation("cv3u", false, "u3", "bob");
        WebPushReceiver.Handed handed = webPush("u3", "d1", false);
        setting("cv3m", "u3", null);
        setting("cv3x", "u3", Instant.now().minusSeconds(60));
        setting("cv3u", "u3", Instant.now().plusSeconds(3600));

        send(due("u3", "cv3m", 1, 1, false, "d1"));
        send(due("u3", "cv3u", 1, 1, false, "d1"));
        send(due("u3", "cv3x", 1, 1, false, "d1"));

        awaitDeliveries("u3", List.of(
                List.of("d1", "cv3m", 1L, "skipped", "muted", 0),
                List.of("d1", "cv3u", 1L, "skipped", "muted", 0),
                List.of("d1", "cv3x", 1L, "sent", "", 1)));
        assertEquals(List.of("cv3x"), receiver.to(handed.name()).stream()
                .map(r -> r.message().path("conversationId").asText()).toList());
    }

    @Test
    void theSamePushDueTwiceIsOnePush() throws Exception {
        user("u4", "Eve");
        devices("u4", "d1");
        conversation("cv4", false, "u4", "bob");
        WebPushReceiver.Handed handed = webPush("u4", "d1", false);

        PushDue twice = due("u4", "cv4", 5, 1, false, "d1");
        send(twice);
        awaitDelivered(handed, 1);
        send(twice);
        send(twice);
        // a marker behind them in the same partition: once it is pushed, the repeats were read
        send(due("u4", "cv4", 6, 1, false, "d1"));
        awaitDeliveries("u4", List.of(List.of("d1", "cv4", 5L, "sent", "", 1), List.of("d1", "cv4", 6L, "sent", "", 1)));
        assertEquals(List.of(5L, 6L), receiver.to(handed.name()).stream()
                .map(r -> r.message().path("seq").asLong()).toList());
    }

    @Test
    void aGoneSubscriptionIsDeleted() throws Exception {
        user("u5", "Fay");
        devices("u5", "d1");
        conversation("cv5", false, "u5", "bob");
        WebPushReceiver.Handed handed = webPush("u5", "d1", false);
        receiver.script(handed.name(), WebPushReceiver.Reply.status(410));

        send(due("u5", "cv5", 1, 1, false, "d1"));

        awaitDeliveries("u5", List.of(List.of("d1", "cv5", 1L, "failed", "gone", 1)));
        assertEquals(List.of(), database.rows("SELECT device_id FROM push_subscriptions WHERE user_id = 'u5'"));
        assertEquals(1, receiver.to(handed.name()).size());
        await().atMost(TIMEOUT).until(() -> registry.get(PushMetrics.REMOVED).counter().count() >= 1
                && registry.get(PushMetrics.FAILED).tag("reason", "gone").counter().count() >= 1);
    }

    @Test
    void aRetryAfterIsWaitedForThenTheRetryArrives() throws Exception {
        user("u6", "Gil");
        devices("u6", "d1", "d2");
        conversation("cv6", false, "u6", "bob");
        WebPushReceiver.Handed limited = webPush("u6", "d1", false);
        WebPushReceiver.Handed failing = webPush("u6", "d2", false);
        receiver.script(limited.name(), WebPushReceiver.Reply.retryAfter(429, "2"));
        receiver.script(failing.name(), WebPushReceiver.Reply.status(500), WebPushReceiver.Reply.status(503),
                WebPushReceiver.Reply.status(500), WebPushReceiver.Reply.status(502));

        send(due("u6", "cv6", 1, 1, false, "d1", "d2"));

        awaitDeliveries("u6", List.of(List.of("d1", "cv6", 1L, "sent", "", 2),
                List.of("d2", "cv6", 1L, "failed", "retries_exhausted", 4)));
        List<WebPushReceiver.Received> tries = receiver.to(limited.name());
        assertEquals(List.of(429, 201), tries.stream().map(WebPushReceiver.Received::status).toList());
        Duration waited = Duration.between(tries.get(0).at(), tries.get(1).at());
        assertTrue(waited.compareTo(Duration.ofMillis(1900)) >= 0, "retried after " + waited);
        assertEquals(4, receiver.to(failing.name()).size());
    }

    @Test
    void aDeviceOverItsRateIsSkipped() throws Exception {
        user("u7", "Hal");
        devices("u7", "d1");
        conversation("cv7", false, "u7", "bob");
        WebPushReceiver.Handed handed = webPush("u7", "d1", false);

        for (int seq = 1; seq <= DEVICE_RATE + 1; seq++) {
            send(due("u7", "cv7", seq, 1, false, "d1"));
        }

        awaitDeliveries("u7", List.of(List.of("d1", "cv7", 1L, "sent", "", 1),
                List.of("d1", "cv7", 2L, "sent", "", 1), List.of("d1", "cv7", 3L, "sent", "", 1),
                List.of("d1", "cv7", 4L, "skipped", "rate_limited", 0)));
        assertEquals(DEVICE_RATE, receiver.delivered(handed.name()).size());
    }

    @Test
    void theGatewayKindPostsMatrixShapedJsonAndARejectedKeyRemovesItsSubscription() throws Exception {
        user("u8", "Ivy");
        devices("u8", "d1", "d2");
        conversation("cv8", false, "u8", "bob");
        archived("cv8", 1, "bob", "hi there");
        gatewaySubscription("u8", "d1", "pk-good", true);
        gatewaySubscription("u8", "d2", "pk-bad", false);

        send(due("u8", "cv8", 1, 1, false, "d1", "d2"));

        awaitDeliveries("u8", List.of(List.of("d1", "cv8", 1L, "sent", "", 1),
                List.of("d2", "cv8", 1L, "failed", "gone", 1)));
        assertEquals(List.of(List.of("d1")),
                database.rows("SELECT device_id FROM push_subscriptions WHERE user_id = 'u8'"));
        JsonNode good = gatewayRequests.stream()
                .filter(r -> r.path("notification").path("devices").get(0).path("pushkey").asText().equals("pk-good"))
                .findFirst().orElseThrow();
        assertEquals(JSON.readTree("""
                {"notification": {"type": "message", "conversationId": "cv8", "seq": 1, "senderId": "bob",
                 "unread": 1, "senderName": "Bob Builder", "body": "hi there",
                 "devices": [{"app_id": "io.kchat.app", "pushkey": "pk-good"}]}}"""), good);
        await().atMost(TIMEOUT).until(() -> registry.get(PushMetrics.SENT).tag("kind", "gateway").counter().count()
                >= 1);
    }

    @Test
    void aPrivateEndpointIsRefusedUnderTheDefaultPolicyAndNotCalled() throws Exception {
        user("u9", "Jo");
        devices("u9", "d1");
        conversation("cv9", false, "u9", "bob");
        WebPushReceiver.Handed handed = webPush("u9", "d1", false);
        String prefix = SharedInfrastructure.uniquePrefix("PushSenderIT-policy");
        // http allowed, so that only the loopback address is at stake
        DeliveryConfig strict = config(prefix, new PushEndpoints.Policy(true, false));
        try (DeliveryService ignored = Main.start(strict)) {
            send(new TopicCatalogue(prefix).push(), due("u9", "cv9", 1, 1, false, "d1"));
            awaitDeliveries("u9", List.of(List.of("d1", "cv9", 1L, "failed", "refused", 1)));
        }
        assertEquals(List.of(), receiver.to(handed.name()));
    }

    @Test
    void aRestartedSenderSendsNothingTwiceAndResendsWhatACrashLeftSending() throws Exception {
        user("u10", "Kim");
        devices("u10", "d1");
        conversation("cv10", false, "u10", "bob");
        WebPushReceiver.Handed handed = webPush("u10", "d1", false);
        String prefix = SharedInfrastructure.uniquePrefix("PushSenderIT-restart");
        TopicCatalogue topics = new TopicCatalogue(prefix);
        DeliveryConfig config = config(prefix, LOCAL);

        try (DeliveryService ignored = Main.start(config)) {
            send(topics.push(), due("u10", "cv10", 1, 1, false, "d1"));
            awaitDelivered(handed, 1);
            awaitCommitted(config.pushGroupId(), topics.push());
        }
        // what a sender that crashed after recording its claims, before committing its offsets, left behind
        database.execute("INSERT INTO push_deliveries (user_id, device_id, conversation_id, seq, state, attempts, "
                + "claimed_at, finished_at) VALUES ('u10', 'd1', 'cv10', 2, 'sent', 1, now(), now())");
        database.execute("INSERT INTO push_deliveries (user_id, device_id, conversation_id, seq, state, attempts, "
                + "claimed_at) VALUES ('u10', 'd1', 'cv10', 3, 'sending', 0, now())");
        send(topics.push(), due("u10", "cv10", 2, 1, false, "d1"));
        send(topics.push(), due("u10", "cv10", 3, 1, false, "d1"));
        // and the group reads everything again, the push of seq 1 included
        rewind(config.pushGroupId(), topics.push());

        try (DeliveryService ignored = Main.start(config)) {
            awaitCommitted(config.pushGroupId(), topics.push());
        }
        assertEquals(List.of(1L, 3L), receiver.to(handed.name()).stream()
                .map(r -> r.message().path("seq").asLong()).toList());
        assertEquals(List.of(List.of("d1", "cv10", 1L, "sent", "", 1), List.of("d1", "cv10", 2L, "sent", "", 1),
                List.of("d1", "cv10", 3L, "sent", "", 1)), deliveries("u10"));
    }

    @Test
    void aStopDoesNotWaitOutARetryAndLeavesThePushForTheNextSender() throws Exception {
        user("u11", "Lou");
        devices("u11", "d1");
        conversation("cv11", false, "u11", "bob");
        WebPushReceiver.Handed handed = webPush("u11", "d1", false);
        receiver.script(handed.name(), WebPushReceiver.Reply.retryAfter(503, "60"));
        String prefix = SharedInfrastructure.uniquePrefix("PushSenderIT-stop");
        TopicCatalogue topics = new TopicCatalogue(prefix);
        DeliveryConfig base = config(prefix, LOCAL);
        DeliveryConfig config = base.withPush(base.push().withRetries(4, Duration.ofMillis(200), Duration.ofSeconds(60)));

        DeliveryService first = Main.start(config);
        send(topics.push(), due("u11", "cv11", 1, 1, false, "d1"));
        await().atMost(TIMEOUT).until(() -> receiver.to(handed.name()).size() == 1);
        long stopping = System.nanoTime();
        first.close();
        Duration stopped = Duration.ofNanos(System.nanoTime() - stopping);
        assertTrue(stopped.compareTo(Duration.ofSeconds(20)) < 0, "stopped in " + stopped);
        // claimed, never finished: the next sender sends it
        assertEquals(List.of(List.of("d1", "cv11", 1L, "sending", "", 0)), deliveries("u11"));

        try (DeliveryService ignored = Main.start(config)) {
            awaitDelivered(handed, 1);
            awaitDeliveries("u11", List.of(List.of("d1", "cv11", 1L, "sent", "", 1)));
        }
    }

    @Test
    void theJanitorDeletesRecordsOlderThanTwoDays() {
        database.execute("INSERT INTO push_deliveries (user_id, device_id, conversation_id, seq, state, attempts, "
                + "claimed_at) VALUES ('u12', 'd1', 'cv12', 1, 'sent', 1, now() - interval '3 days'), "
                + "('u12', 'd1', 'cv12', 2, 'sent', 1, now() - interval '1 day')");

        PushJanitor janitor = new PushJanitor(new PushStore(database.pool()), Duration.ofHours(1),
                java.time.Clock.systemUTC());

        assertTrue(janitor.cleanOnce() >= 1);
        assertEquals(List.of(List.of(2L)),
                database.rows("SELECT seq FROM push_deliveries WHERE user_id = 'u12' ORDER BY seq"));
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    private static void user(String userId, String displayName) {
        database.execute("INSERT INTO users (user_id, username, display_name, created_at) VALUES (?, ?, ?, ?)",
                userId, userId, displayName, utc(CREATED));
    }

    private static void devices(String userId, String... deviceIds) {
        for (String device : deviceIds) {
            database.execute("INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)",
                    userId, device, utc(CREATED), utc(CREATED));
        }
    }

    private static void conversation(String conversationId, boolean encrypted, String... members) {
        database.conversation(conversationId, members);
        database.execute("UPDATE conversations SET encrypted = ? WHERE conversation_id = ?", encrypted,
                conversationId);
    }

    /** A message in the archive, the watermark moved over it. */
    private static void archived(String conversationId, long seq, String senderId, String body) {
        database.execute("INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, "
                        + "sender_device_id, body, ts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", conversationId, seq,
                "m-" + conversationId + "-" + seq, "c-" + seq, senderId, "dev-" + senderId, body, utc(CREATED));
        database.execute("UPDATE conversations SET last_seq = greatest(last_seq, ?) WHERE conversation_id = ?", seq,
                conversationId);
    }

    private static WebPushReceiver.Handed webPush(String userId, String deviceId, boolean previews) {
        WebPushReceiver.Handed handed = receiver.subscribe(userId + "-" + deviceId);
        database.execute("INSERT INTO push_subscriptions (user_id, device_id, kind, endpoint, p256dh, auth, "
                        + "vapid_key_id, previews, created_at) VALUES (?, ?, 'webpush', ?, ?, ?, 'k1', ?, ?)",
                userId, deviceId, handed.endpoint(), handed.p256dh(), handed.auth(), previews, utc(CREATED));
        return handed;
    }

    private static void gatewaySubscription(String userId, String deviceId, String pushKey, boolean previews) {
        database.execute("INSERT INTO push_subscriptions (user_id, device_id, kind, push_key, app_id, previews, "
                + "created_at) VALUES (?, ?, 'gateway', ?, 'io.kchat.app', ?, ?)", userId, deviceId, pushKey,
                previews, utc(CREATED));
    }

    private static void setting(String conversationId, String userId, Instant mutedUntil) {
        database.execute("INSERT INTO conversation_settings (conversation_id, user_id, muted, muted_until, "
                        + "updated_at) VALUES (?, ?, true, ?, ?)", conversationId, userId,
                mutedUntil == null ? null : utc(mutedUntil), utc(CREATED));
    }

    private static PushDue due(String userId, String conversationId, long seq, int messages, boolean encrypted,
                               String... deviceIds) {
        Instant now = Instant.now();
        return PushDue.newBuilder().setUserId(userId).setConversationId(conversationId).setSeq(seq)
                .setMessageId("m-" + conversationId + "-" + seq).setSenderId("bob").setUserSeq(seq)
                .setDeviceIds(List.of(deviceIds)).setMessages(messages).setEncrypted(encrypted)
                .setSentAt(now.minusSeconds(3)).setDueAt(now).build();
    }

    private static void send(PushDue due) throws Exception {
        send(catalogue.push(), due);
    }

    private static void send(Topic<String, PushDue> topic, PushDue due) throws Exception {
        producer.send(new ProducerRecord<>(topic.name(), due.getUserId(), due)).get();
    }

    private static List<WebPushReceiver.Received> awaitDelivered(WebPushReceiver.Handed handed, int count) {
        await().atMost(TIMEOUT).until(() -> receiver.delivered(handed.name()).size() >= count);
        return receiver.delivered(handed.name());
    }

    /** [device, conversation, seq, state, reason ('' for none), attempts] of the user's push records. */
    private static List<List<Object>> deliveries(String userId) {
        return database.rows("SELECT device_id, conversation_id, seq, state, coalesce(reason, ''), attempts "
                + "FROM push_deliveries WHERE user_id = ? ORDER BY 1, 2, 3", userId);
    }

    private static void awaitDeliveries(String userId, List<List<Object>> expected) {
        await().atMost(TIMEOUT).untilAsserted(() -> assertEquals(expected, deliveries(userId)));
    }

    private static void awaitCommitted(String groupId, Topic<?, ?> topic) {
        List<TopicPartition> partitions = IntStream.range(0, topic.partitions())
                .mapToObj(p -> new TopicPartition(topic.name(), p)).toList();
        await().atMost(TIMEOUT).until(() -> {
            Map<String, Long> committed = GroupOffsets.committed(admin, groupId);
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p,
                    p -> OffsetSpec.latest()))).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || e.getValue().offset() == committed.getOrDefault(e.getKey().toString(), -1L));
        });
    }

    private static void rewind(String groupId, Topic<?, ?> topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> start = IntStream.range(0, topic.partitions()).boxed()
                .collect(Collectors.toMap(p -> new TopicPartition(topic.name(), p), p -> new OffsetAndMetadata(0)));
        // the group is empty now (its consumer left when the service closed)
        await().atMost(TIMEOUT).ignoreExceptions().until(() -> {
            admin.alterConsumerGroupOffsets(groupId, start).all().get();
            return true;
        });
    }

    private static Map<String, Object> asMap(JsonNode node) {
        return JSON.convertValue(node, Map.class);
    }

    private static HttpServer startGateway() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/notify", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                JsonNode request = JSON.readTree(in.readAllBytes());
                gatewayRequests.add(request);
                List<String> rejected = JSON.convertValue(request.path("notification").path("devices"),
                        List.class).stream().map(d -> String.valueOf(((Map<?, ?>) d).get("pushkey")))
                        .filter(rejectedKeys::contains).toList();
                byte[] answer = JSON.writeValueAsBytes(Map.of("rejected", rejected));
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, answer.length);
                exchange.getResponseBody().write(answer);
            }
        });
        server.start();
        return server;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }
}
