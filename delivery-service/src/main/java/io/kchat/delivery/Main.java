package io.kchat.delivery;

import io.kchat.observability.Health;
import io.kchat.observability.ServiceRuntime;
import io.kchat.settings.Settings;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry of the delivery-service: configuration from the environment ({@link DeliveryConfig#fromEnv}), the
 * catalogue topics, then {@link DeliveryService}, which wires the components. SIGTERM closes it cleanly.
 * {@code /health/*} and {@code /metrics} are served on HEALTH_PORT (8081) from before the start until after the
 * stop; LOG_FORMAT picks the log format.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        DeliveryConfig config = DeliveryConfig.from(settings);
        ServiceRuntime runtime = ServiceRuntime.start(settings);
        DeliveryService service = runtime.startService((registry, health) -> start(config, registry, health));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(service);
            runtime.close();
        }, "delivery-shutdown"));
        service.awaitTermination();
        if (service.failure() != null) {
            // let the orchestrator restart us rather than stay up with a loop missing
            System.exit(1);
        }
    }

    /** Without health or metrics served: for tests that look at neither. */
    public static DeliveryService start(DeliveryConfig config) {
        return start(config, new SimpleMeterRegistry(), new Health());
    }

    /**
     * Provisions (or verifies, D6) the catalogue topics, migrates the database and starts every loop, reporting
     * into {@code registry} and {@code health}; the in-process launcher's entry.
     */
    public static DeliveryService start(DeliveryConfig config, MeterRegistry registry, Health health) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix(), config.messageRetention());
        try (Admin admin = Admin.create(config.adminProperties())) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(catalogue.shared());
        }
        DeliveryService service = DeliveryService.start(config, Clock.systemUTC(), registry, health);
        log.info("delivery-service ready: archiving as group {}, presence and typing as {} and {}, pushing as {}",
                config.archiveGroupId(), config.presenceGroupId(), config.typingGroupId(), config.pushGroupId());
        return service;
    }

    private static void stop(DeliveryService service) {
        long started = System.nanoTime();
        log.info("delivery-service stopping");
        try {
            service.close();
            log.info("delivery-service stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("interrupted while stopping the delivery-service", e);
        }
    }
}
