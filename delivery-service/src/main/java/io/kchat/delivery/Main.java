package io.kchat.delivery;

import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Entry of the delivery-service: configuration from the environment ({@link DeliveryConfig#fromEnv}), the
 * catalogue topics, then {@link DeliveryService}, which wires the components. SIGTERM closes it cleanly.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        DeliveryService service = start(DeliveryConfig.fromEnv(System.getenv()));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(service), "delivery-shutdown"));
        service.awaitTermination();
        if (service.failure() != null) {
            // let the orchestrator restart us rather than stay up with a loop missing
            System.exit(1);
        }
    }

    /**
     * Provisions (or verifies, D6) the catalogue topics, migrates the database and starts every loop; the
     * in-process launcher's entry.
     */
    public static DeliveryService start(DeliveryConfig config) {
        TopicCatalogue catalogue = new TopicCatalogue(config.topicPrefix());
        try (Admin admin = Admin.create(config.adminProperties())) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(catalogue.shared());
        }
        DeliveryService service = DeliveryService.start(config, Clock.systemUTC());
        log.info("delivery-service ready: routing {} to node egress topics as group {}, archiving as {}",
                catalogue.deliveries().name(), config.groupId(), config.archiveGroupId());
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
