package io.kchat.processor;

import io.kchat.observability.ServiceRuntime;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Composition root of the streams-processor, configured by the environment (see {@link ProcessorConfig}), with
 * {@code /health/*} and {@code /metrics} on HEALTH_PORT (8081), up before Streams starts and until it stopped, and
 * its log format from LOG_FORMAT.
 */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.fromEnvironment();
        ProcessorConfig config = ProcessorConfig.from(settings);
        ServiceRuntime runtime = ServiceRuntime.start(settings);
        ProcessorApp app = runtime.startService((registry, health) ->
                ProcessorApp.start(config, Duration.ofMinutes(2), registry, health));
        CountDownLatch stopped = new CountDownLatch(1);
        // SIGTERM: a clean stop (CDC offsets stored, Streams committed and out of the group), see ProcessorApp#close;
        // /health/ready answers 503 meanwhile, and the health server stops last
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            long started = System.nanoTime();
            log.info("streams-processor stopping");
            try {
                app.close();
                log.info("streams-processor stopped in {} ms", (System.nanoTime() - started) / 1_000_000);
            } catch (Exception e) {
                log.error("unclean shutdown", e);
            } finally {
                runtime.close();
                stopped.countDown();
            }
        }, "shutdown"));
        log.info("streams-processor ready (application {}, brokers {})", config.applicationId(), config.bootstrapServers());
        stopped.await();
    }
}
