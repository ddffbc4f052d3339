package io.kchat.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.LoggedEvent;
import io.kchat.events.SessionRoute;
import io.kchat.events.UserEvent;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Correlation;
import io.kchat.observability.ServiceRuntime;
import io.kchat.settings.Settings;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The delivery-service wired as its Main wires it, on the shared broker and a fresh database: ready once every loop
 * runs and Kafka and the database answer, not ready once it drains; /metrics on the health port counts what it
 * routed and has its consumers' lag; a routed copy keeps the correlation id of the item it copies.
 */
class DeliveryHealthIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void readyWhileEveryLoopRunsAndTheRoutedCopyKeepsTheCorrelationId() throws Exception {
        String prefix = SharedInfrastructure.uniquePrefix("DeliveryHealthIT");
        TopicCatalogue catalogue = new TopicCatalogue(prefix);
        try (TestDatabase database = TestDatabase.fresh("DeliveryHealthIT");
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                     Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
                     new ByteArraySerializer(), new ByteArraySerializer());
             // as Main starts it: the runtime serves health and metrics before the service starts
             ServiceRuntime server = ServiceRuntime.start(Settings.of(Map.of("HEALTH_PORT", "0")));
             TopicReader<Delivery> egress = new TopicReader<>(bootstrap, catalogue.egress("node-a"))) {
            new TopicProvisioner(admin, (short) 1).ensure(Stream.concat(catalogue.shared().stream(),
                    Stream.of(catalogue.egress("node-a"))).toList());
            DeliveryConfig config = DeliveryConfig.of(bootstrap, prefix, database.settings())
                    .withGroupId(prefix + "delivery");
            assertEquals(503, get(server, "/health/ready").statusCode(), "not ready before it started");

            DeliveryService service = server.startService((registry, health) -> Main.start(config, registry, health));
            try {
                HttpResponse<String> ready = get(server, "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                for (String check : List.of("loops", "kafka", "database")) {
                    assertTrue(ready.body().contains("\"" + check + "\":{\"status\":\"UP\""), ready.body());
                }

                ProducerRecord<byte[], byte[]> item = new ProducerRecord<>(catalogue.deliveries().name(),
                        "u1".getBytes(StandardCharsets.UTF_8), catalogue.deliveries().valueSerde().serializer()
                        .serialize(catalogue.deliveries().name(), new Delivery("u1",
                                List.of(new SessionRoute("node-a", "s1")), message())));
                Correlation.put(item.headers(), "3f9a0c1e.m-1");
                producer.send(item).get();
                ConsumerRecord<String, Delivery> routed = egress.awaitMatching(r -> true, 1).getFirst();
                assertEquals("3f9a0c1e.m-1", Correlation.of(routed.headers()));

                await().atMost(TopicReader.TIMEOUT).until(() -> get(server, "/metrics").body()
                        .contains("kchat_delivery_routed_total 1.0"));
                String scrape = get(server, "/metrics").body();
                for (String name : List.of("kafka_consumer_fetch_manager_records_lag_max",
                        "kafka_producer_record_send_total", "kchat_delivery_archive_batch_seconds_bucket",
                        "jvm_memory_used_bytes")) {
                    assertTrue(scrape.contains(name + "{"), name + " in " + scrape);
                }
            } finally {
                service.close();
            }
            HttpResponse<String> draining = get(server, "/health/ready");
            assertEquals(503, draining.statusCode());
            assertTrue(draining.body().contains("\"reason\":\"draining\""), draining.body());
            assertEquals(200, get(server, "/health/live").statusCode(), "stopping is not dying");
        }
    }

    private static LoggedEvent message() {
        return new LoggedEvent(1L, new UserEvent("u1", new ChatMessage("c1", 1L, "m1", "m-1", "u9", "d9", "hello",
                Instant.parse("2030-01-01T00:00:00Z"))));
    }

    private HttpResponse<String> get(ServiceRuntime server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
