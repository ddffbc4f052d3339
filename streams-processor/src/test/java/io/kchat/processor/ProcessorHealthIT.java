package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.SendMessage;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.ServiceRuntime;
import io.kchat.settings.Settings;
import io.kchat.schemas.TopicCatalogue;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The processor wired as its Main wires it, on the shared broker: /health/ready answers 200 once Streams is RUNNING
 * and 503 once it drains, and /metrics on the same port has Streams' own meters (consumer lag among them) and the
 * sends it sequenced.
 */
class ProcessorHealthIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();
    @TempDir
    Path stateDir;

    @Test
    void readyWhileRunningNotReadyOnceDrainingAndMetricsOnTheHealthPort() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("processor-health");
        ProcessorConfig config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        TopicCatalogue topics = new TopicCatalogue(prefix);
        // as Main starts it: the runtime serves health and metrics before the service starts
        try (ServiceRuntime server = ServiceRuntime.start(Settings.of(Map.of("HEALTH_PORT", "0")))) {
            assertEquals(503, get(server, "/health/ready").statusCode(), "not ready before Streams runs");
            assertEquals(200, get(server, "/health/live").statusCode());

            ProcessorApp app = server.startService((registry, health) ->
                    ProcessorApp.start(config, Duration.ofMinutes(1), registry, health));
            try {
                await().atMost(WAIT).until(() -> get(server, "/health/ready").statusCode() == 200);
                assertTrue(get(server, "/health").body().contains("\"streams\":{\"status\":\"UP\",\"detail\":\"RUNNING\"}"));

                produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-0", Instant.now(),
                        new ConversationChanged(ConversationEventKind.CREATED, "alice", null, new ConversationSnapshot(
                                "c1", ConversationType.GROUP, "g", List.of(new Member("alice", MemberRole.OWNER)), 1L, false, false, null))));
                produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-1", Instant.now(),
                        new SendMessage("id-1", "alice", "alice-phone", "hello", null, null, List.of(), false)));
                await().atMost(WAIT).until(() -> get(server, "/metrics").body()
                        .contains("kchat_processor_messages_sequenced_total 1.0"));
                String scrape = get(server, "/metrics").body();
                for (String name : List.of("kafka_consumer_fetch_manager_records_lag_max",
                        "kafka_stream_thread_process_total", "kafka_producer_record_send_total",
                        "jvm_memory_used_bytes")) {
                    assertTrue(scrape.contains(name + "{"), name + " in " + scrape);
                }
            } finally {
                app.close();
            }
            HttpResponse<String> draining = get(server, "/health/ready");
            assertEquals(503, draining.statusCode(), "not ready once it stops");
            assertTrue(draining.body().contains("\"reason\":\"draining\""), draining.body());
            assertEquals(200, get(server, "/health/live").statusCode(), "stopping is not dying");
        }
    }

    private HttpResponse<String> get(ServiceRuntime server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
