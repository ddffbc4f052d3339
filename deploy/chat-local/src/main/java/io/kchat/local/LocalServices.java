package io.kchat.local;

import io.kchat.assistant.AssistantConfig;
import io.kchat.delivery.DeliveryConfig;
import io.kchat.gateway.Gateway;
import io.kchat.gateway.GatewayConfig;
import io.kchat.observability.Health;
import io.kchat.observability.PrometheusMetrics;
import io.kchat.processor.ProcessorApp;
import io.kchat.processor.ProcessorConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * The services in one process, each started from the same environment its own Main reads, in dependency order
 * (processor, delivery, the assistant worker, then the gateway that opens the port), and stopped in reverse so
 * nothing drains into a stopped neighbour.
 *
 * <p>One port for operations too: the services share one meter registry, served by the gateway's {@code /metrics},
 * and the gateway's {@code /health} has the processor's, the delivery-service's and the assistant worker's readiness
 * among its checks.
 * Their own health servers (HEALTH_PORT) are their Mains' business and do not run here.
 */
final class LocalServices implements AutoCloseable {

    private final Deque<AutoCloseable> running;
    private final Gateway gateway;

    private LocalServices(Deque<AutoCloseable> running, Gateway gateway) {
        this.running = running;
        this.gateway = gateway;
    }

    /** Starts them all; what already started is stopped again when a later one fails. */
    static LocalServices start(Map<String, String> env) throws Exception {
        Deque<AutoCloseable> running = new ArrayDeque<>();
        PrometheusMetrics metrics = PrometheusMetrics.start();
        running.push(metrics); // closed last
        try {
            Health processor = new Health();
            running.push(ProcessorApp.start(ProcessorConfig.fromEnv(env), Duration.ofMinutes(2), metrics.registry(),
                    processor));
            Health delivery = new Health();
            running.push(io.kchat.delivery.Main.start(DeliveryConfig.fromEnv(env), metrics.registry(), delivery));
            // idle, and ready, when no model is configured (ASSISTANT_BASE_URL, ASSISTANT_MODEL)
            Health assistant = new Health();
            running.push(io.kchat.assistant.Main.start(AssistantConfig.fromEnv(env), metrics.registry(), assistant));
            Health all = new Health()
                    .readiness("processor", processor::asCheck)
                    .readiness("delivery", delivery::asCheck)
                    .readiness("assistant", assistant::asCheck);
            Gateway gateway = Gateway.start(GatewayConfig.fromEnv(env), Clock.systemUTC(), metrics.registry(), all);
            running.push(gateway);
            return new LocalServices(running, gateway);
        } catch (Exception e) {
            closeAll(running, e);
            throw e;
        }
    }

    int port() {
        return gateway.port();
    }

    @Override
    public void close() throws Exception {
        Exception first = closeAll(running, null);
        if (first != null) {
            throw first;
        }
    }

    /** Closes everything, newest first, even when one close fails; returns the first failure. */
    private static Exception closeAll(Deque<AutoCloseable> running, Exception failure) {
        while (!running.isEmpty()) {
            try {
                running.pop().close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        return failure;
    }
}
