package io.kchat.gateway.otp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The webhook sender against a real local HTTP server (the JDK's), standing in for an SMS provider. */
class WebhookSmsSenderTest {

    /** One request as the provider saw it. */
    record Received(String method, String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().getFirst()).findFirst().orElse(null);
        }
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger status = new AtomicInteger(202);
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean stall;
    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    @Test
    void postsToAndTextAsJsonWithTheConfiguredHeaders() throws Exception {
        WebhookSmsSender sender = new WebhookSmsSender(url("/sms/send?account=7"),
                OtpConfig.parseHeaders("Authorization: Bearer s3cr3t;X-Tenant: kchat"), Duration.ofSeconds(5));

        sender.send("+442000000001", "Your kchat code is 123456.");

        assertEquals(1, received.size());
        Received request = received.getFirst();
        assertEquals("POST", request.method());
        assertEquals("/sms/send?account=7", request.path());
        assertEquals("Bearer s3cr3t", request.header("Authorization"));
        assertEquals("kchat", request.header("X-Tenant"));
        assertEquals("application/json", request.header("Content-Type"));
        JsonNode body = Json.mapper().readTree(request.body());
        assertEquals(Map.of("to", "+442000000001", "text", "Your kchat code is 123456."),
                Json.mapper().convertValue(body, Map.class));
    }

    @Test
    void anyAnswerButTwoHundredsIsAFailureThatDoesNotCarryTheText() {
        WebhookSmsSender sender = new WebhookSmsSender(url("/sms"), Map.of(), Duration.ofSeconds(5));
        for (int refused : new int[] {301, 400, 401, 429, 500, 503}) {
            status.set(refused);

            SmsDeliveryException e = assertThrows(SmsDeliveryException.class,
                    () -> sender.send("+442000000001", "code 654321"));

            assertTrue(e.getMessage().contains(String.valueOf(refused)), e.getMessage());
            assertFalse(e.getMessage().contains("654321"));
        }
    }

    @Test
    void noAnswerWithinTheTimeoutIsAFailure() {
        stall = true;
        WebhookSmsSender sender = new WebhookSmsSender(url("/slow"), Map.of(), Duration.ofMillis(300));

        long started = System.nanoTime();
        assertThrows(SmsDeliveryException.class, () -> sender.send("+442000000001", "code 111111"));

        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(5)) < 0);
    }

    @Test
    void anUnreachableProviderIsAFailure() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        WebhookSmsSender sender = new WebhookSmsSender(URI.create("http://127.0.0.1:" + closedPort + "/sms"),
                Map.of(), Duration.ofSeconds(2));

        assertThrows(SmsDeliveryException.class, () -> sender.send("+442000000001", "code 222222"));
    }

    @Test
    void aHeaderTheHttpClientRefusesFailsAtConstruction() {
        assertThrows(IllegalArgumentException.class,
                () -> new WebhookSmsSender(url("/sms"), Map.of("Host", "elsewhere"), Duration.ofSeconds(1)));
    }

    private void handle(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
                Map.copyOf(exchange.getRequestHeaders()), body));
        if (stall) {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        exchange.sendResponseHeaders(status.get(), -1);
        exchange.close();
    }

    private URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }
}
