package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.Gateway;
import io.kchat.gateway.GatewayConfig;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.TestUsers;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Correlation;
import io.kchat.schemas.TopicCatalogue;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;

/**
 * A whole gateway node as Main starts it, on the shared broker and a fresh database: live and ready with Kafka and
 * PostgreSQL, a WebSocket send counted in its /metrics (frames, send-to-ok histogram) and its record carrying the
 * send's correlation id, a 401 counted as an error and an auth failure; and, once it drains, /health/ready answering
 * 503 while /health/live and /metrics still answer and the API refuses.
 */
class GatewayObservabilityIT {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthMetricsCorrelationAndTheDrain() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("GatewayObservabilityIT");
        Gateway gateway = Gateway.start(GatewayConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CHAT_TOPIC_PREFIX", prefix,
                "DATABASE_URL", SharedInfrastructure.freshDatabase("GatewayObservabilityIT"),
                "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password(),
                "CHAT_PORT", "0",
                "CHAT_BIND_ADDRESS", "127.0.0.1",
                "CHAT_NODE_ID", "gw-obs",
                // long enough for the test to look at the draining node
                "SHUTDOWN_DRAIN", "30s")), Clock.systemUTC());
        CompletableFuture<Void> stopped = new CompletableFuture<>();
        try {
            int port = gateway.port();
            HttpResponse<String> live = get(port, "/health/live");
            assertEquals(200, live.statusCode(), live.body());
            assertEquals("UP", JSON.readTree(live.body()).at("/checks/egress/status").asText());
            HttpResponse<String> ready = get(port, "/health/ready");
            assertEquals(200, ready.statusCode(), ready.body());
            JsonNode checks = JSON.readTree(ready.body()).path("checks");
            assertEquals("UP", checks.at("/kafka/status").asText(), ready.body());
            assertEquals("UP", checks.at("/database/status").asText(), ready.body());
            assertEquals(200, get(port, "/health").statusCode());

            TestUsers.Login login = TestUsers.registerAndLogin(new ApiClient(port), "observed");
            WsTestClient client = WsTestClient.connect(URI.create("ws://127.0.0.1:" + port + "/v1/ws"),
                    login.accessToken());
            client.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"m-obs-1\",\"conversationId\":\"c-obs\","
                    + "\"body\":\"hello\"}");
            JsonNode ok = client.next();
            assertEquals("ok", ok.path("type").asText(), ok.toString());
            assertEquals(401, new ApiClient(port).get("/v1/users/me", null).status());

            String scrape = get(port, "/metrics").body();
            assertTrue(value(scrape, "kchat_gateway_send_ok_seconds_count") >= 1, scrape);
            assertTrue(value(scrape, "kchat_gateway_send_ok_seconds_bucket{le=\"+Inf\"}") >= 1, "a histogram");
            assertTrue(value(scrape, "kchat_gateway_frames_in_total{type=\"send\"}") >= 1);
            assertTrue(value(scrape, "kchat_gateway_frames_out_total{type=\"ok\"}") >= 1);
            assertEquals(1, value(scrape, "kchat_gateway_connections"));
            assertEquals(1, value(scrape, "kchat_gateway_sessions"));
            assertTrue(value(scrape, "kchat_gateway_errors_total{code=\"unauthorized\",source=\"http\"}") >= 1);
            assertTrue(value(scrape, "kchat_gateway_auth_failures_total{via=\"http\"}") >= 1);
            assertTrue(scrape.contains("kchat_gateway_delivery_latency_seconds_bucket{"));
            assertTrue(scrape.contains("kafka_producer_record_send_total{"), "the producer's own meters");
            assertTrue(scrape.contains("kafka_consumer_fetch_manager_records_lag_max{"), "the egress consumer's");

            String correlation = Correlation.of(inboundRecord(bootstrap, new TopicCatalogue(prefix), "c-obs").headers());
            assertTrue(correlation.matches("[0-9a-f]{8}\\.m-obs-1"), correlation);

            // a request in progress holds the drain open: the node is seen draining
            try (Socket slow = new Socket("127.0.0.1", port)) {
                OutputStream out = slow.getOutputStream();
                out.write(("POST /v1/auth/login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100\r\n\r\n{\"username\":").getBytes(StandardCharsets.UTF_8));
                out.flush();
                await().atMost(WAIT).until(() -> value(get(port, "/metrics").body(),
                        "kchat_gateway_http_requests_active") >= 1);
                Thread.ofVirtual().start(() -> {
                    try {
                        gateway.close();
                        stopped.complete(null);
                    } catch (Exception e) {
                        stopped.completeExceptionally(e);
                    }
                });

                await().atMost(WAIT).until(() -> get(port, "/health/ready").statusCode() == 503);
                assertEquals("draining", JSON.readTree(get(port, "/health/ready").body()).path("reason").asText());
                assertEquals(200, get(port, "/health/live").statusCode(), "draining is not dying");
                HttpResponse<String> duringDrain = get(port, "/metrics");
                assertEquals(200, duringDrain.statusCode());
                assertEquals(1, value(duringDrain.body(), "kchat_gateway_http_requests_active"));
                assertEquals(503, new ApiClient(port).get("/v1/users/me", login.accessToken()).status(),
                        "the API sends clients elsewhere");
            }
            // the slow request ended with its connection: the drain goes on and the node stops
            stopped.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } finally {
            gateway.close();
        }
    }

    /** The value of the one series whose name and labels start the line with {@code series}. */
    private static double value(String scrape, String series) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(series) + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        if (!line.find()) {
            throw new AssertionError(series + " not in the scrape");
        }
        return Double.parseDouble(line.group(1));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static ConsumerRecord<String, byte[]> inboundRecord(String bootstrap, TopicCatalogue topics, String key) {
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID()),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topics.inbound().name()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (System.nanoTime() < deadline) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
            }
            throw new AssertionError("no record keyed " + key + " in " + topics.inbound().name());
        }
    }
}
