package io.kchat.examples.analytics;

import io.kchat.schemas.TopicCatalogue;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs the example until SIGTERM or a fatal error, configured by the environment (see {@link AnalyticsConfig}). */
public final class Main {

    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(System.getenv());
        AnalyticsApp app = new AnalyticsApp(config, new FiguresLog());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "shutdown"));
        app.start();
        log.info("reading {} from {} as {}: windows of {}, grace {}",
                new TopicCatalogue(config.topicPrefix()).messageMeta().name(), config.bootstrapServers(),
                config.applicationId(), config.window(), config.grace());
        if (app.awaitStopped() == KafkaStreams.State.ERROR) {
            app.close();
            System.exit(1);
        }
    }
}
