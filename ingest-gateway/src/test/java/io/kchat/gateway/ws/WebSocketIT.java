package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.websocket.WsRouting;
import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.auth.AccessTokenVerifier;
import io.kchat.gateway.auth.AuthenticatedDevice;
import io.kchat.gateway.auth.InvalidTokenException;
import io.kchat.gateway.egress.EgressConsumer;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint on a real Helidon server and a real broker: authentication both ways, the send path to
 * chat.inbound, the egress path to the socket (ready, replay, synced, duplicates), and refusals that keep
 * the socket open. Only the token verifier is ours: a table of fixed tokens.
 */
class WebSocketIT {

    private static final String NODE = "node-ws-it";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Instant TS = Instant.parse("2030-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static String bootstrap;
    private static TopicCatalogue catalogue;
    private static Admin admin;
    private static Producer<byte[], byte[]> producer;
    private static ChatWebSocket chat;
    private static SessionRegistry registry;
    private static EgressConsumer egress;
    private static WebServer server;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        catalogue = new TopicCatalogue(SharedInfrastructure.uniquePrefix("WebSocketIT"));
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        TopicProvisioner provisioner = new TopicProvisioner(admin, (short) 1);
        provisioner.ensure(catalogue.shared());
        producer = GatewayProducer.create(bootstrap, "ws-it");
        registry = new SessionRegistry();
        WsConfig config = new WsConfig(NODE, Duration.ofMillis(1500), 100, 64, WsConfig.DEFAULT_MAX_FRAME_BYTES,
                WsConfig.DEFAULT_PING_INTERVAL, Set.of());
        chat = new ChatWebSocket(config, new FixedTokens(Map.of(
                "token-a", device("user-a", "dev-a"),
                "token-b", device("user-b", "dev-b"),
                "token-c", device("user-c", "dev-c"))), registry,
                new EventPublisher<>(producer, catalogue.inbound()),
                new EventPublisher<>(producer, catalogue.userInbound()), Clock.systemUTC());
        egress = EgressConsumer.start(bootstrap, provisioner, catalogue.egress(NODE), NODE, registry);
        server = WebServer.builder()
                .port(0)
                .addProtocol(chat.protocolConfig())
                .addRouting(chat.routing(WsRouting.builder()))
                .routing(chat::httpRouting)
                .build()
                .start();
    }

    @AfterAll
    static void stop() throws InterruptedException {
        registry.closeAll(SessionRegistry.GOING_AWAY);
        server.stop();
        chat.close();
        egress.close();
        producer.close();
        admin.close();
    }

    @Test
    void headerAuthReplaysThenGoesLiveAndSendsAreAcknowledgedAfterKafka() throws Exception {
        Client client = Client.connect(url(), "token-a");
        SessionOpened opened = awaitUserCommand("user-a", SessionOpened.class);
        assertEquals("dev-a", opened.getDeviceId());
        assertEquals(NODE, opened.getNodeId());
        String sessionId = opened.getSessionId();

        // what the processor answers a SessionOpened with, and a live event after it
        toEgress("user-a", sessionId, new ReplayStarted("dev-a", 0L));
        toEgress("user-a", sessionId, message(1));
        toEgress("user-a", sessionId, message(1));
        toEgress("user-a", sessionId, new ReplayFinished(1L));
        toEgress("user-a", sessionId, message(2));

        assertEquals(JSON.readTree("{\"type\":\"ready\",\"userId\":\"user-a\",\"deviceId\":\"dev-a\",\"sessionId\":\""
                + sessionId + "\",\"ackedUserSeq\":0}"), client.next());
        assertEquals(JSON.readTree("""
                {"type":"message","userSeq":1,"conversationId":"conv-1","seq":1,"messageId":"msg-1","id":"cid-1",
                 "senderId":"user-z","body":"hello 1","ts":"2030-01-02T03:04:05Z"}"""), client.next());
        assertEquals(JSON.readTree("{\"type\":\"synced\",\"userSeq\":1}"), client.next());
        assertEquals(2, client.next().get("userSeq").asInt(), "the repeated userSeq 1 is dropped");

        client.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"cid-9\",\"conversationId\":\"conv-9\",\"body\":\"hi\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"r1\",\"id\":\"cid-9\"}"), client.next());
        ConsumerRecord<String, InboundCommand> inbound = awaitRecord(catalogue.inbound(),
                r -> r.value().getCommand() instanceof SendMessage s && s.getClientId().equals("cid-9"));
        assertEquals("conv-9", inbound.key());
        assertEquals(new SendMessage("cid-9", "user-a", "dev-a", "hi"), inbound.value().getCommand());

        client.closeNormally();
        assertEquals(sessionId, awaitUserCommand("user-a", SessionClosed.class).getSessionId());
    }

    @Test
    void firstFrameAuthAfterRefusingEarlierFrames() throws Exception {
        Client client = Client.connect(url(), null);
        client.send("{\"type\":\"ping\",\"ref\":\"early\"}");
        JsonNode refused = client.next();
        assertEquals("error", refused.get("type").asText());
        assertEquals("early", refused.get("ref").asText());
        assertEquals("bad_request", refused.get("code").asText());

        client.send("{\"type\":\"auth\",\"ref\":\"a1\",\"token\":\"token-b\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"a1\"}"), client.next());
        assertEquals("dev-b", awaitUserCommand("user-b", SessionOpened.class).getDeviceId());

        client.send("{\"type\":\"auth\",\"token\":\"token-b\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\"}"), client.next(), "a refresh is answered ok");
        client.closeNormally();
    }

    @Test
    void badFramesAreAnsweredAndTheSocketStaysOpen() throws Exception {
        Client client = Client.connect(url(), "token-c");
        client.send("not json");
        assertEquals("bad_request", client.next().get("code").asText());
        client.send("{\"type\":\"dance\",\"ref\":\"x\"}");
        JsonNode unknown = client.next();
        assertEquals("x", unknown.get("ref").asText());
        assertEquals("bad_request", unknown.get("code").asText());
        client.send("{\"type\":\"send\",\"id\":\"i\",\"conversationId\":\"c\",\"body\":\"" + "b".repeat(101) + "\"}");
        assertEquals("bad_request", client.next().get("code").asText());
        client.send("{\"type\":\"typing\",\"conversationId\":\"c\",\"active\":true}");
        assertEquals("not_implemented", client.next().get("code").asText());

        client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"p\"}"), client.next());
        assertNull(client.closeCode.getNow(null));
        client.closeNormally();
    }

    @Test
    void noAuthFrameInTimeCloses4002() throws Exception {
        Client client = Client.connect(url(), null);
        assertEquals(ChatWsListener.AUTH_TIMEOUT, client.closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void badTokenInAuthFrameCloses4001() throws Exception {
        Client client = Client.connect(url(), null);
        client.send("{\"type\":\"auth\",\"token\":\"forged\"}");
        assertEquals(ChatWsListener.AUTH_FAILED, client.closeCode.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
    }

    @Test
    void badTokenOnTheUpgradeIsRefusedWith401() {
        CompletionException refused = assertThrows(CompletionException.class, () -> Client.connect(url(), "forged"));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, handshake.getResponse().statusCode());
    }

    private static URI url() {
        return URI.create("ws://127.0.0.1:" + server.port() + ChatWebSocket.PATH);
    }

    private static AuthenticatedDevice device(String userId, String deviceId) {
        return new AuthenticatedDevice(userId, deviceId, Instant.now().plus(Duration.ofHours(1)));
    }

    private static LoggedEvent message(long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent("user-a", new ChatMessage("conv-1", userSeq, "msg-" + userSeq,
                "cid-" + userSeq, "user-z", "dev-z", "hello " + userSeq, TS)));
    }

    private static void toEgress(String userId, String sessionId, Object item) throws Exception {
        new EventPublisher<>(producer, catalogue.egress(NODE))
                .publish(userId, new Delivery(userId, List.of(new SessionRoute(NODE, sessionId)), item))
                .get(10, TimeUnit.SECONDS);
    }

    private static <T> T awaitUserCommand(String userId, Class<T> type) {
        ConsumerRecord<String, UserCommand> record = awaitRecord(catalogue.userInbound(),
                r -> r.key().equals(userId) && type.isInstance(r.value().getCommand()));
        return type.cast(record.value().getCommand());
    }

    private static <V> ConsumerRecord<String, V> awaitRecord(Topic<String, V> topic,
                                                             Predicate<ConsumerRecord<String, V>> wanted) {
        List<ConsumerRecord<String, V>> seen = new ArrayList<>();
        try (KafkaConsumer<String, V> consumer = new KafkaConsumer<>(
                Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < topic.partitions(); p++) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Awaitility.await().atMost(WAIT).until(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
                return seen.stream().anyMatch(wanted);
            });
        }
        return seen.stream().filter(wanted).findFirst().orElseThrow();
    }

    /** The test's token table: a double of our own verifier interface. */
    private record FixedTokens(Map<String, AuthenticatedDevice> devices) implements AccessTokenVerifier {
        @Override
        public AuthenticatedDevice verify(String token) throws InvalidTokenException {
            AuthenticatedDevice device = devices.get(token);
            if (device == null) {
                throw new InvalidTokenException("unknown token");
            }
            return device;
        }
    }

    /** A JDK WebSocket client collecting whole text messages. */
    private static final class Client implements WebSocket.Listener {

        private final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
        private WebSocket socket;

        static Client connect(URI url, String token) {
            Client client = new Client();
            WebSocket.Builder builder = HTTP.newWebSocketBuilder();
            if (token != null) {
                builder.header("Authorization", "Bearer " + token);
            }
            client.socket = builder.buildAsync(url, client).join();
            return client;
        }

        void send(String text) {
            socket.sendText(text, true).join();
        }

        JsonNode next() throws Exception {
            String text = received.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            assertNotNull(text, "no frame within " + WAIT);
            return JSON.readTree(text);
        }

        void closeNormally() {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.completeExceptionally(error);
        }
    }
}
