package io.kchat.delivery;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running delivery router on its own thread; closing it stops the router and waits for it. */
public final class DeliveryService implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DeliveryService.class);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final DeliveryRouter router;
    private final Thread thread;
    private volatile Throwable failure;

    private DeliveryService(DeliveryRouter router) {
        this.router = router;
        this.thread = Thread.ofPlatform().name("delivery-router").unstarted(this::runRouter);
    }

    /** Starts routing; the topics must exist (see {@link Main#start(DeliveryConfig)}). */
    static DeliveryService start(DeliveryConfig config, Clock clock) {
        DeliveryService service = new DeliveryService(DeliveryRouter.create(config, clock));
        service.thread.start();
        return service;
    }

    /** Blocks until the router stops, by {@link #close()} or by a failure. */
    public void awaitTermination() throws InterruptedException {
        thread.join();
    }

    /** Why the router stopped on its own, or {@code null}. */
    public Throwable failure() {
        return failure;
    }

    @Override
    public void close() throws InterruptedException {
        router.stop();
        if (!thread.join(STOP_TIMEOUT)) {
            log.warn("delivery router did not stop within {}", STOP_TIMEOUT);
        }
    }

    private void runRouter() {
        try {
            router.run();
        } catch (RuntimeException | Error e) {
            failure = e;
            log.error("delivery router failed", e);
        }
    }
}
