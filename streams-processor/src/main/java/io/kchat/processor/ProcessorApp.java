package io.kchat.processor;

import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running processor: Kafka Streams plus, when configured, the CDC engine. Closing stops both cleanly. */
public final class ProcessorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);
    /** Longest wait for Streams to commit and close its threads: a commit takes well under a second. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BROKER_LIMITS_TIMEOUT = Duration.ofSeconds(30);

    private final KafkaStreams streams;
    private final AutoCloseable cdc;

    private ProcessorApp(KafkaStreams streams, AutoCloseable cdc) {
        this.streams = streams;
        this.cdc = cdc;
    }

    /**
     * Provisions and checks the topics (D6), checks the timeouts against the broker's limits, starts Streams
     * and waits until it is RUNNING.
     */
    public static ProcessorApp start(ProcessorConfig config, Duration startTimeout) throws InterruptedException {
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(topics.shared());
            BrokerTimeoutLimits.verify(admin, config.timeouts(), BROKER_LIMITS_TIMEOUT);
        }
        KafkaStreams streams = new KafkaStreams(ProcessorTopology.build(config), StreamsSettings.toProperties(config));
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((next, previous) -> {
            log.info("streams state {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            }
        });
        streams.setUncaughtExceptionHandler(error -> {
            log.error("stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        if (!running.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            streams.close(Duration.ofSeconds(10));
            throw new IllegalStateException("streams did not reach RUNNING within " + startTimeout);
        }
        AutoCloseable cdc = config.cdc().enabled() ? CdcRelay.start(config, topics, Clock.systemUTC()) : () -> { };
        return new ProcessorApp(streams, cdc);
    }

    public KafkaStreams streams() {
        return streams;
    }

    /**
     * SIGTERM: the CDC engine stops first (it commits its offsets and its janitor stops, then the CDC lock is
     * released for a standby), then Streams commits its tasks' transactions and leaves the group at once, so
     * that another instance, or this one restarted, takes the partitions without waiting for the session
     * timeout. Bounded by {@link #CLOSE_TIMEOUT} each.
     */
    @Override
    public void close() throws Exception {
        long started = System.nanoTime();
        try {
            cdc.close();
            log.info("CDC relay stopped in {} ms", millisSince(started));
        } finally {
            long streamsStarted = System.nanoTime();
            boolean clean = streams.close(CloseOptions
                    .groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                    .withTimeout(CLOSE_TIMEOUT));
            if (clean) {
                log.info("streams closed and left the group in {} ms", millisSince(streamsStarted));
            } else {
                log.warn("streams did not close within {}: its partitions move after the session timeout",
                        CLOSE_TIMEOUT);
            }
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
