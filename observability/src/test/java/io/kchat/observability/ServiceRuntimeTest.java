package io.kchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.settings.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceRuntimeTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void servesHealthAndMetricsForTheServiceItStartsUntilClosed() throws Exception {
        try (ServiceRuntime runtime = ServiceRuntime.start(Settings.of(Map.of("HEALTH_PORT", "0")))) {
            String started = runtime.startService((registry, health) -> {
                registry.counter("kchat.test.started").increment();
                return "service";
            });
            assertEquals("service", started);
            assertEquals(200, get(runtime.port(), "/health/live").statusCode());
            assertEquals(true, get(runtime.port(), "/metrics").body().contains("kchat_test_started_total 1.0"));
        }
    }

    @Test
    void aServiceThatFailsToStartTakesTheRuntimeDownWithIt() {
        ServiceRuntime runtime = ServiceRuntime.start(Settings.of(Map.of("HEALTH_PORT", "0")));
        int port = runtime.port();
        IllegalStateException refused = new IllegalStateException("topics have the wrong partition count");

        assertSame(refused, assertThrows(IllegalStateException.class, () -> runtime.startService((registry, health) -> {
            throw refused;
        })));
        // no server thread is left to keep a process alive that will never be ready
        assertThrows(ConnectException.class, () -> get(port, "/health/live"));
    }

    @Test
    void theHealthPortIs8081UnlessSet() {
        assertEquals(8081, Settings.of(Map.of()).get(ServiceRuntime.HEALTH_PORT));
        assertEquals(0, Settings.of(Map.of("HEALTH_PORT", " 0 ")).get(ServiceRuntime.HEALTH_PORT));
    }

    private HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
