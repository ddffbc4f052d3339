package io.kchat.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * What a service without a web server of its own (the streams-processor, the delivery-service) runs around its
 * work: java.util.logging routed to SLF4J, LOG_FORMAT checked, Prometheus metrics, and {@code /health/*} and
 * {@code /metrics} served on HEALTH_PORT (8081) from before the service starts until after it stopped.
 */
public final class ServiceRuntime implements AutoCloseable {

    /** Starts a service reporting into the runtime's registry and health. */
    @FunctionalInterface
    public interface ServiceStart<T> {
        T start(PrometheusMeterRegistry registry, Health health) throws Exception;
    }

    public static final Setting<Integer> HEALTH_PORT = Setting.integer("HEALTH_PORT", 8081,
            "port of /health/* and /metrics; 0 picks a free one");

    private final PrometheusMetrics metrics;
    private final Health health;
    private final HealthServer healthServer;

    private ServiceRuntime(PrometheusMetrics metrics, Health health, HealthServer healthServer) {
        this.metrics = metrics;
        this.health = health;
        this.healthServer = healthServer;
    }

    /** Parse the service's own configuration first: a refused setting then stops the process before any thread runs. */
    public static ServiceRuntime start(Settings settings) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        LogFormat.from(settings); // logback picked its appender by it: refuse a name it lacks
        PrometheusMetrics metrics = PrometheusMetrics.start();
        Health health = new Health();
        return new ServiceRuntime(metrics, health,
                HealthServer.start(settings.get(HEALTH_PORT), health, metrics.registry()));
    }

    /**
     * Runs {@code start}; when it fails, closes the runtime before rethrowing: the health server's threads must not
     * keep alive a process that will never be ready.
     */
    public <T> T startService(ServiceStart<T> start) throws Exception {
        try {
            return start.start(metrics.registry(), health);
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Where /health/* and /metrics are served. */
    public int port() {
        return healthServer.port();
    }

    /** After the service stopped: the health server last, so probes see the drain. */
    @Override
    public void close() {
        healthServer.close();
        metrics.close();
    }
}
