package io.kchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The port of its own that the processor and the delivery-service serve health and metrics on. */
class HealthServerTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final AtomicBoolean streamsRunning = new AtomicBoolean(true);
    private final Health health = new Health()
            .readiness("streams", () -> streamsRunning.get() ? CheckResult.healthy("RUNNING")
                    : CheckResult.unhealthy("REBALANCING"));
    private PrometheusMetrics metrics;
    private HealthServer server;

    @BeforeEach
    void start() {
        metrics = PrometheusMetrics.start();
        server = HealthServer.start(0, health, metrics.registry());
    }

    @AfterEach
    void stop() {
        server.close();
        metrics.close();
    }

    @Test
    void readinessFollowsThePhaseAndTheChecksAndLivenessStaysUp() throws Exception {
        assertEquals(503, get("/health/ready").statusCode(), "starting");
        assertEquals(200, get("/health/live").statusCode());

        health.serving();
        HttpResponse<String> ready = get("/health/ready");
        assertEquals(200, ready.statusCode());
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{\"status\":\"UP\",\"phase\":\"serving\",\"checks\":{\"streams\":{\"status\":\"UP\","
                + "\"detail\":\"RUNNING\"}}}", ready.body());

        streamsRunning.set(false);
        HttpResponse<String> combined = get("/health");
        assertEquals(503, combined.statusCode());
        assertTrue(combined.body().contains("\"streams\":{\"status\":\"DOWN\",\"detail\":\"REBALANCING\"}"),
                combined.body());

        streamsRunning.set(true);
        health.draining();
        HttpResponse<String> draining = get("/health/ready");
        assertEquals(503, draining.statusCode());
        assertTrue(draining.body().contains("\"reason\":\"draining\""), draining.body());
        assertEquals(200, get("/health/live").statusCode());
    }

    @Test
    void metricsAreThePrometheusTextOfTheRegistryWithTheJvmBound() throws Exception {
        Counter.builder("kchat.test.things").tag("kind", "x").register(metrics.registry()).increment(3);
        HttpResponse<String> scrape = get("/metrics");
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElseThrow().startsWith("text/plain; version=0.0.4"));
        assertTrue(scrape.body().contains("kchat_test_things_total{kind=\"x\"} 3.0"), scrape.body());
        assertTrue(scrape.body().contains("jvm_memory_used_bytes{"), "JVM binders");
        assertTrue(scrape.body().contains("jvm_gc_"), "GC binder");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
