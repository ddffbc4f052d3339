package io.kchat.local;

import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Correlation;
import io.kchat.schemas.TopicCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stack as ./chat-local runs it, observed on the gateway's one port: /health shows every service, /metrics has
 * every metric the Grafana dashboard queries once a message, a typing notice, a refused send, a bad frame and an
 * unauthenticated request went through, and the message's correlation id reaches the gateway's egress topic, i.e.
 * it went through the processor and the delivery-service.
 */
class ObservabilityE2EIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String NODE = "observed-node";
    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static String prefix;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        prefix = SharedInfrastructure.uniquePrefix("observed");
        stack = new LocalStack("observed", stateDir, Map.of("CHAT_TOPIC_PREFIX", prefix, "CHAT_NODE_ID", NODE));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aMessageIsSeenByEveryServiceOnTheGatewaysPort() throws Exception {
        Http http = new Http(stack.port());
        ChatClients clients = new ChatClients(stack::port);
        JsonNode alice = http.newUser("traced-alice");
        JsonNode bob = http.newUser("traced-bob");
        try (WsClient aliceWs = clients.online(alice); WsClient bobWs = clients.online(bob)) {
            Http.Response created = http.post("/v1/conversations", token(alice),
                    "{\"type\":\"direct\",\"userId\":\"" + bob.path("userId").asText() + "\"}");
            assertEquals(201, created.status(), created.toString());
            String conversationId = created.body().path("conversationId").asText();
            aliceWs.send(ChatClients.sendFrame(conversationId, "m-traced", "hello"));
            message(bobWs, "m-traced");
            aliceWs.send("{\"type\":\"typing\",\"conversationId\":\"" + conversationId + "\",\"active\":true}");
            bobWs.awaitType("typing");
            aliceWs.send(ChatClients.sendFrame("c-nowhere", "m-refused", "anyone?"));
            aliceWs.await(f -> f.path("type").asText().equals("error") && f.path("id").asText().equals("m-refused"),
                    WAIT);
            aliceWs.send("{not json");
            aliceWs.await(f -> f.path("type").asText().equals("error") && !f.has("id"), WAIT);
        }
        assertEquals(401, http.get("/v1/users/me", null).status());

        HttpResponse<String> health = get("/health");
        assertEquals(200, health.statusCode(), health.body());
        JsonNode checks = JSON.readTree(health.body()).path("checks");
        for (String check : List.of("egress", "kafka", "database", "processor", "delivery")) {
            assertEquals("UP", checks.path(check).path("status").asText(), check + " in " + health.body());
        }

        // counted once the message went all the way: pushed to bob, archived, sequenced
        await().atMost(WAIT).until(() -> {
            String scrape = get("/metrics").body();
            return value(scrape, "kchat_gateway_delivery_latency_seconds_count") >= 1
                    && value(scrape, "kchat_delivery_archived_total") >= 1
                    && value(scrape, "kchat_processor_messages_sequenced_total") >= 1;
        });
        Set<String> exported = series(get("/metrics").body());
        Map<String, Set<String>> queried = Dashboard.metricsByRow();
        assertEquals(List.of("Gateway", "Processor", "Delivery", "Kafka clients", "JVM"), List.copyOf(queried.keySet()));
        queried.forEach((row, names) -> {
            Set<String> missing = new TreeSet<>(names);
            missing.removeAll(exported);
            assertEquals(Set.of(), missing, "queried by the dashboard's " + row + " row, exported by no service");
        });

        String correlation = egressCorrelationIds().stream().filter(id -> id.endsWith(".m-traced")).findFirst()
                .orElseThrow(() -> new AssertionError("no egress record carries the send's correlation id"));
        assertTrue(correlation.matches("[0-9a-f]{8}\\.m-traced"), correlation);
    }

    /** The value of the one series named {@code name}, or -1 when the scrape has none. */
    private static double value(String scrape, String name) {
        Matcher line = Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:\\{[^}]*})? (\\S+)$").matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : -1;
    }

    /** The names of the series in a Prometheus text scrape. */
    private static Set<String> series(String scrape) {
        Set<String> names = new TreeSet<>();
        scrape.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
                .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
        return names;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The correlation ids of every record on this node's egress topic so far. */
    private static List<String> egressCorrelationIds() {
        String topic = new TopicCatalogue(prefix).egress(NODE).name();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedInfrastructure.kafka().bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID()),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            List<String> ids = new ArrayList<>();
            await().atMost(WAIT).until(() -> {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    String id = Correlation.of(record.headers());
                    if (id != null) {
                        ids.add(id);
                    }
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
            });
            return ids;
        }
    }
}
