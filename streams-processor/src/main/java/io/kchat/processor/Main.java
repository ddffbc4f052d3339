package io.kchat.processor;

import io.kchat.observability.Health;
import io.kchat.observability.HealthServer;
import io.kchat.observability.LogFormat;
import io.kchat.observability.PrometheusMetrics;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

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
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        Map<String, String> env = System.getenv();
        LogFormat.of(env.get("LOG_FORMAT")); // logback picked its appender by it: refuse a name it lacks
        ProcessorConfig config = ProcessorConfig.fromEnv(env);
        PrometheusMetrics metrics = PrometheusMetrics.start();
        Health health = new Health();
        HealthServer healthServer = HealthServer.start(healthPort(env), health, metrics.registry());
        ProcessorApp app;
        try {
            app = ProcessorApp.start(config, Duration.ofMinutes(2), metrics.registry(), health);
        } catch (Exception | Error e) {
            // the health server's threads must not keep a process alive that will never be ready
            healthServer.close();
            throw e;
        }
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
                healthServer.close();
                metrics.close();
                stopped.countDown();
            }
        }, "shutdown"));
        log.info("streams-processor ready (application {}, brokers {})", config.applicationId(), config.bootstrapServers());
        stopped.await();
    }

    /** HEALTH_PORT: where /health/* and /metrics are served (8081; 0 picks a free port). */
    static int healthPort(Map<String, String> env) {
        return Integer.parseInt(env.getOrDefault("HEALTH_PORT", "8081").trim());
    }
}
