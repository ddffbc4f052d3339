package io.kchat.examples.analytics;

import io.kchat.schemas.TopicCatalogue;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The example's Kafka Streams application: {@link MessagesPerWindowTopology} on a cluster, reporting to a sink. */
public final class AnalyticsApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(AnalyticsApp.class);
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final AtomicReference<KafkaStreams.State> finalState = new AtomicReference<>();

    public AnalyticsApp(AnalyticsConfig config, Consumer<WindowFigures> report) {
        StreamsBuilder builder = new StreamsBuilder();
        MessagesPerWindowTopology.build(builder, new TopicCatalogue(config.topicPrefix()).messageMeta(),
                config.window(), config.grace(), report);
        this.streams = new KafkaStreams(builder.build(), MessagesPerWindowTopology.config(config));
        streams.setStateListener((now, before) -> {
            log.info("analytics example {} (was {})", now, before);
            if (now == KafkaStreams.State.ERROR || now == KafkaStreams.State.NOT_RUNNING) {
                finalState.compareAndSet(null, now);
                stopped.countDown();
            }
        });
        // A missing topic or a fatal broker error: stop rather than limp on without reporting.
        streams.setUncaughtExceptionHandler(e -> {
            log.error("analytics example stopping", e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    }

    public void start() {
        streams.start();
    }

    public KafkaStreams.State state() {
        return streams.state();
    }

    /** Blocks until the application stopped, by {@link #close()} or by an error; returns which. */
    public KafkaStreams.State awaitStopped() throws InterruptedException {
        stopped.await();
        return finalState.get();
    }

    @Override
    public void close() {
        streams.close(CLOSE_TIMEOUT);
    }
}
