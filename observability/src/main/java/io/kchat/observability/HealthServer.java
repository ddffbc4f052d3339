package io.kchat.observability;

import io.helidon.webserver.WebServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP server of its own for a service without one (the processor, the delivery-service): {@code /health},
 * {@code /health/live}, {@code /health/ready} and {@code /metrics} on {@code HEALTH_PORT}. Started before the
 * service, so that probes get a 503 while it starts rather than a refused connection, and stopped after it, so
 * that they get a 503 while it drains.
 */
public final class HealthServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HealthServer.class);

    private final WebServer server;

    private HealthServer(WebServer server) {
        this.server = server;
    }

    /** Listens on every address, on {@code port} (0: any free port, see {@link #port()}). */
    public static HealthServer start(int port, Health health, PrometheusMeterRegistry registry) {
        WebServer server = WebServer.builder()
                .host("0.0.0.0")
                .port(port)
                // Helidon's own hook would stop it at SIGTERM, before the service drained: close() does, after
                .shutdownHook(false)
                .routing(http -> http.register(new HealthRoutes(health), new MetricsRoutes(registry)))
                .build()
                .start();
        log.info("health and metrics on port {}", server.port());
        return new HealthServer(server);
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
    }
}
