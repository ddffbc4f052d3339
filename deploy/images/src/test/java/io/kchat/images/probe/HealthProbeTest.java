package io.kchat.images.probe;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthProbeTest {

    private HttpServer server;
    private volatile int readyStatus = 200;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/health/ready", exchange -> {
            exchange.sendResponseHeaders(readyStatus, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aReadyServiceAnswers200() {
        String status = HealthProbe.status(server.getAddress().getPort(), "/health/ready");

        assertTrue(status.startsWith("HTTP/1.1 200"), status);
        assertTrue(HealthProbe.isOk(status));
    }

    @Test
    void aServiceThatIsNotReadyIsUnhealthy() {
        readyStatus = 503;

        String status = HealthProbe.status(server.getAddress().getPort(), "/health/ready");

        assertTrue(status.startsWith("HTTP/1.1 503"), status);
        assertFalse(HealthProbe.isOk(status));
    }

    @Test
    void anUnknownPathIsUnhealthy() {
        assertFalse(HealthProbe.isOk(HealthProbe.status(server.getAddress().getPort(), "/nothing")));
    }

    @Test
    void aClosedPortIsUnhealthy() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }

        String status = HealthProbe.status(closed, "/health/ready");

        assertTrue(status.contains("Connection refused"), status);
        assertFalse(HealthProbe.isOk(status));
    }

    @Test
    void onlyA200StatusLineIsOk() {
        assertTrue(HealthProbe.isOk("HTTP/1.0 200 OK"));
        assertFalse(HealthProbe.isOk("HTTP/1.1 2000 OK"));
        assertFalse(HealthProbe.isOk("200"));
        assertFalse(HealthProbe.isOk(""));
    }
}
