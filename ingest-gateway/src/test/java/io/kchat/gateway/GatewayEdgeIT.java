package io.kchat.gateway;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.Delivery;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionRoute;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.GatewayProducer;
import io.kchat.infra.EmbeddedPostgresServer;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.Producer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole gateway node as Main starts it, given a certificate made at test time: it serves HTTPS and WSS (and no
 * plain HTTP), limits the auth endpoints per client address (429 with Retry-After), and answers an undecodable
 * body 400. Clients on other loopback addresses (127.0.0.2, 127.0.0.3) stand for other client IPs.
 */
class GatewayEdgeIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int AUTH_BURST = 8;
    private static final String NODE = "gw-edge";
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    static Path certificates;

    private static TestCertificates tls;
    private static String topicPrefix;
    private static Gateway gateway;
    private static Database database;

    @BeforeAll
    static void start() {
        tls = TestCertificates.create(certificates);
        EmbeddedPostgresServer postgres = SharedInfrastructure.postgres();
        String databaseUrl = SharedInfrastructure.freshDatabase("GatewayEdgeIT");
        topicPrefix = SharedInfrastructure.uniquePrefix("GatewayEdgeIT");
        gateway = Gateway.start(GatewayConfig.fromEnv(Map.ofEntries(
                Map.entry("KAFKA_BOOTSTRAP_SERVERS", SharedInfrastructure.kafka().bootstrapServers()),
                Map.entry("CHAT_TOPIC_PREFIX", topicPrefix),
                Map.entry("DATABASE_URL", databaseUrl),
                Map.entry("DATABASE_USER", postgres.user()),
                Map.entry("DATABASE_PASSWORD", postgres.password()),
                Map.entry("CHAT_PORT", "0"),
                Map.entry("CHAT_BIND_ADDRESS", "127.0.0.1"),
                Map.entry("CHAT_NODE_ID", NODE),
                Map.entry("TLS_CERT_FILE", tls.certificateFile.toString()),
                Map.entry("TLS_KEY_FILE", tls.keyFile.toString()),
                // nothing refills during the test: only the burst counts
                Map.entry("AUTH_RATE_PER_IP", "0.01"),
                Map.entry("AUTH_RATE_PER_IP_BURST", Integer.toString(AUTH_BURST)))), Clock.systemUTC());
        database = Database.start(databaseUrl, postgres.user(), postgres.password(), 2);
    }

    @AfterAll
    static void stop() throws Exception {
        if (database != null) {
            database.close();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void servesHttpsAndAWssSocketGetsReady() throws Exception {
        HttpClient client = client("127.0.0.1");
        HttpResponse<String> registered = post(client, "/v1/auth/register",
                "{\"username\":\"edge\",\"password\":\"" + PASSWORD + "\"}");
        assertEquals(201, registered.statusCode(), registered.body());
        JsonNode login = JSON.readTree(post(client, "/v1/auth/login",
                "{\"username\":\"edge\",\"password\":\"" + PASSWORD + "\"}").body());
        String userId = login.get("userId").asText();
        String deviceId = login.get("deviceId").asText();

        CompletableFuture<String> firstFrame = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder()
                .header("Authorization", "Bearer " + login.get("accessToken").asText())
                .buildAsync(URI.create("wss://127.0.0.1:" + gateway.port() + "/v1/ws"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        firstFrame.complete(data.toString());
                        return null;
                    }
                })
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        // the user side's answer to SessionOpened, as the processor would route it to this node
        String sessionId = await().atMost(WAIT).until(() -> sessionOf(userId), id -> id != null);
        try (Producer<byte[], byte[]> producer = GatewayProducer.create(
                SharedInfrastructure.kafka().bootstrapServers(), "GatewayEdgeIT-egress")) {
            new EventPublisher<>(producer, new TopicCatalogue(topicPrefix).egress(NODE))
                    .publish(userId, new Delivery(userId, List.of(new SessionRoute(NODE, sessionId)),
                            new ReplayStarted(deviceId, 0L)))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        }
        JsonNode ready = JSON.readTree(firstFrame.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        assertEquals("ready", ready.get("type").asText());
        assertEquals(userId, ready.get("userId").asText());
        assertEquals(sessionId, ready.get("sessionId").asText());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();
    }

    @Test
    void overTlsTheOwnOriginIsHttpsAndNoOtherOriginConnects() throws Exception {
        // WS_ALLOWED_ORIGINS unset: only the gateway's own origin, whose scheme is https as it serves TLS itself
        URI endpoint = URI.create("wss://127.0.0.1:" + gateway.port() + "/v1/ws");
        WebSocket own = client("127.0.0.1").newWebSocketBuilder()
                .header("Origin", "https://127.0.0.1:" + gateway.port())
                .buildAsync(endpoint, new WebSocket.Listener() { })
                .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        own.sendClose(WebSocket.NORMAL_CLOSURE, "bye").join();

        for (String other : List.of("http://127.0.0.1:" + gateway.port(), "https://evil.example")) {
            CompletableFuture<WebSocket> refused = client("127.0.0.1").newWebSocketBuilder()
                    .header("Origin", other)
                    .buildAsync(endpoint, new WebSocket.Listener() { });
            ExecutionException failed = assertThrows(ExecutionException.class,
                    () -> refused.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
            assertEquals(403, ((WebSocketHandshakeException) failed.getCause()).getResponse().statusCode(), other);
        }
    }

    @Test
    void corsAnswersTheOwnOriginsPreflightAndNoOtherOrigins() throws Exception {
        // a client address of its own: preflights of /v1/auth/login must not spend the login budget
        HttpClient browser = client("127.0.0.4");
        String own = "https://127.0.0.1:" + gateway.port();
        for (int i = 0; i <= AUTH_BURST; i++) {
            HttpResponse<String> allowed = preflight(browser, own);
            assertEquals(204, allowed.statusCode(), "preflight " + i);
            assertEquals(own, allowed.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
        }
        HttpResponse<String> refused = preflight(browser, "https://evil.example");
        assertEquals(403, refused.statusCode());
        assertTrue(refused.headers().map().keySet().stream().noneMatch(h -> h.toLowerCase(java.util.Locale.ROOT).startsWith("access-control-")),
                "no CORS header for another origin: " + refused.headers().map());
    }

    private static HttpResponse<String> preflight(HttpClient client, String origin) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + "/v1/auth/login"))
                .header("Origin", origin).header("Access-Control-Request-Method", "POST")
                .header("Access-Control-Request-Headers", "content-type")
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void plainHttpIsNotServed() {
        HttpClient plain = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port()
                + "/.well-known/jwks.json")).timeout(Duration.ofSeconds(10)).build();
        assertThrows(IOException.class, () -> plain.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    @Test
    void theAuthEndpointsAreLimitedPerClientAddress() throws Exception {
        HttpClient limited = client("127.0.0.2");
        String wrongLogin = "{\"username\":\"nobody\",\"password\":\"wrong password, long enough\"}";
        for (int i = 0; i < AUTH_BURST; i++) {
            assertEquals(401, post(limited, "/v1/auth/login", wrongLogin).statusCode(), "attempt " + i);
        }
        HttpResponse<String> refused = post(limited, "/v1/auth/login", wrongLogin);
        assertEquals(429, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(null));
        JsonNode problem = JSON.readTree(refused.body());
        assertEquals("rate_limited", problem.get("code").asText());
        assertEquals(429, problem.get("status").asInt());
        long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(retryAfter >= 1 && retryAfter <= 100, "Retry-After " + retryAfter + " s at 0.01 per second");

        // every limited endpoint shares the address's budget, OTP ones included; other endpoints do not
        assertEquals(429, post(limited, "/v1/auth/register", "{}").statusCode());
        assertEquals(429, post(limited, "/v1/auth/refresh", "{}").statusCode());
        assertEquals(429, post(limited, "/v1/auth/otp/request", "{\"phone\":\"+15550100\"}").statusCode());
        assertEquals(429, post(limited, "//v1/auth/login/", wrongLogin).statusCode(), "no way around by spelling");
        assertEquals(200, get(limited, "/.well-known/jwks.json").statusCode());

        assertNotEquals(429, post(client("127.0.0.1"), "/v1/auth/login", wrongLogin).statusCode(),
                "another address has its own budget");
    }

    @Test
    void aBodyNoDecoderCanReadIsABadRequest() throws Exception {
        // 00 00 00 7B reads as UTF-32; the lone byte after it is half a character
        byte[] body = {0, 0, 0, '{', 0};
        HttpResponse<String> answer = client("127.0.0.3").send(request("/v1/auth/register")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(400, answer.statusCode(), answer.body());
        assertEquals("bad_request", JSON.readTree(answer.body()).get("code").asText());
    }

    private static HttpClient client(String localAddress) throws IOException {
        return HttpClient.newBuilder()
                .sslContext(tls.clientContext)
                .localAddress(InetAddress.getByName(localAddress))
                .connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
    }

    private static HttpResponse<String> post(HttpClient client, String path, String json) throws Exception {
        return client.send(request(path).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String sessionOf(String userId) {
        return database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement("SELECT session_id FROM sessions WHERE user_id = ?")) {
                statement.setString(1, userId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) : null;
                }
            }
        });
    }
}
