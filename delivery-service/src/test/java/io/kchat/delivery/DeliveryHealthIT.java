package io.kchat.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.ServiceRuntime;
import io.kchat.settings.Settings;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

/**
 * The delivery-service wired as its Main wires it, on the shared broker and a fresh database: ready once every loop
 * runs and Kafka and the database answer, not ready once it drains; /metrics on the health port has its own meters
 * and its consumers' lag.
 */
class DeliveryHealthIT {

    private final HttpClient http = HttpClient.newHttpClient();
    private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();

    @Test
    void readyWhileEveryLoopRunsWithItsMetersServed() throws Exception {
        String prefix = SharedInfrastructure.uniquePrefix("DeliveryHealthIT");
        TopicCatalogue catalogue = new TopicCatalogue(prefix);
        try (TestDatabase database = TestDatabase.fresh("DeliveryHealthIT");
             Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
             // as Main starts it: the runtime serves health and metrics before the service starts
             ServiceRuntime server = ServiceRuntime.start(Settings.of(Map.of("HEALTH_PORT", "0")))) {
            new TopicProvisioner(admin, (short) 1).ensure(catalogue.shared());
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

                String scrape = get(server, "/metrics").body();
                for (String name : List.of("kafka_consumer_fetch_manager_records_lag_max", "kchat_delivery_dropped_total",
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

    private HttpResponse<String> get(ServiceRuntime server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
