package io.kchat.processor;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/** Composition root of the streams-processor, configured by the environment (see {@link ProcessorConfig}). */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        ProcessorConfig config = ProcessorConfig.fromEnv(System.getenv());
        ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(2));
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: a clean stop (CDC offsets stored, Streams committed and out of the group), see ProcessorApp#close
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long started = System.nanoTime();
            log.info("streams-processor stopping");
            try {
                app.close();
                log.info("streams-processor stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                log.error("unclean shutdown", e);
            } finally {
                stopped.countDown();
            }
        }, "shutdown"));
        log.info("streams-processor ready (application {}, brokers {})", config.applicationId(), config.bootstrapServers());
        stopped.await();
    }
}
