package io.kchat.processor;

import io.kchat.observability.Health;
import io.kchat.processor.cdc.CdcRelay;
import io.kchat.processor.guard.OutputSettingsGuard;
import io.kchat.processor.guard.OutputSettingsRecord;
import io.kchat.processor.observability.ConversationMeters;
import io.kchat.processor.observability.DeadLetterMeters;
import io.kchat.processor.observability.ProcessorChecks;
import io.kchat.processor.observability.UserMeters;
import io.kchat.schemas.EgressTopics;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

/**
 * A running processor: Kafka Streams plus, when configured, the CDC engine. Closing stops both cleanly. Reports into
 * the process's {@link Health} (ready while Streams is RUNNING and, with CDC, the database answers; failed when
 * Streams is in ERROR) and meter registry (Streams' own meters, consumer lag included, the sends sequenced and
 * refused, and the records dead-lettered).
 */
public final class ProcessorApp implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ProcessorApp.class);
    /** Longest wait for Streams to commit and close its threads: a commit takes well under a second. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration BROKER_LIMITS_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration OUTPUT_SETTINGS_TIMEOUT = Duration.ofSeconds(30);
    /** How long a node egress topic created or deleted goes unnoticed, unless a route to it misses first. */
    private static final Duration EGRESS_TOPICS_REFRESH = Duration.ofSeconds(5);

    private final KafkaStreams streams;
    private final AutoCloseable cdc;
    private final Health health;
    private final KafkaStreamsMetrics streamsMetrics;
    private final EgressTopics egressTopics;
    private final InputTicks ticks;

    private ProcessorApp(KafkaStreams streams, AutoCloseable cdc, Health health, KafkaStreamsMetrics streamsMetrics,
                         EgressTopics egressTopics, InputTicks ticks) {
        this.streams = streams;
        this.cdc = cdc;
        this.health = health;
        this.streamsMetrics = streamsMetrics;
        this.egressTopics = egressTopics;
        this.ticks = ticks;
    }

    /** Without health or metrics served: for tests that look at neither. */
    public static ProcessorApp start(ProcessorConfig config, Duration startTimeout) throws InterruptedException {
        return start(config, startTimeout, new SimpleMeterRegistry(), new Health());
    }

    /**
     * Provisions and checks the topics (D6), checks the timeouts against the broker's limits and the output settings
     * against those its committed state was built with ({@link OutputSettingsGuard}), starts Streams and waits until
     * it is RUNNING, then the CDC engine; {@code health} is serving from then on.
     */
    public static ProcessorApp start(ProcessorConfig config, Duration startTimeout, MeterRegistry registry,
                                     Health health) throws InterruptedException {
        TopicCatalogue topics = new TopicCatalogue(config.topicPrefix(), config.messageRetention());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers()))) {
            new TopicProvisioner(admin, config.replicationFactor()).ensure(topics.shared());
            BrokerTimeoutLimits.verify(admin, config.timeouts(), BROKER_LIMITS_TIMEOUT);
        }
        new OutputSettingsGuard(new OutputSettingsRecord(config.bootstrapServers(), topics.processorSettings(),
                config.applicationId(), OUTPUT_SETTINGS_TIMEOUT))
                .verify(config.outputSettings(), config.settingsMigration());
        LiveClientSupplier clients = new LiveClientSupplier();
        // owns its Admin client; used by the stream threads, closed after them
        EgressTopics egressTopics = new EgressTopics(
                Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers())),
                node -> topics.egress(node).name(), EGRESS_TOPICS_REFRESH, Clock.systemUTC());
        InputTicks ticks = InputTicks.create(config.bootstrapServers(), config.applicationId() + "-ticks", topics);
        KafkaStreams streams;
        try {
            streams = new KafkaStreams(
                    ProcessorTopology.build(config, node -> egressTopics.topicOf(node) != null, ticks.inbound(),
                            ticks.userInbound(), new ConversationMeters(registry), new UserMeters(registry)),
                    StreamsSettings.toProperties(config, new DeadLetterMeters(registry)), clients);
        } catch (RuntimeException refused) {
            // a setting Kafka Streams rejects, a state directory it cannot lock: nothing of ours may outlive it
            egressTopics.close();
            ticks.close();
            throw refused;
        }
        // the clients exist once constructed: their meters (records-lag-max among them) are there from the start
        KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        health.readiness("streams", ProcessorChecks.streamsRunning(streams));
        if (config.cdc().enabled()) {
            health.readiness("database", ProcessorChecks.cdcDatabase(config.cdc()));
        }
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((next, previous) -> {
            log.info("streams state {} -> {}", previous, next);
            if (next == KafkaStreams.State.RUNNING) {
                running.countDown();
            } else if (next == KafkaStreams.State.ERROR) {
                health.failed("Kafka Streams in ERROR: no stream thread left");
            }
        });
        // A record's failure reaches this handler only while it has attempts left (StreamsSettings: poison records
        // are retried by this replacement, then dead-lettered); any other failure (the broker out of reach, a fenced
        // producer, a state store) replaces the thread for as long as it lasts.
        streams.setUncaughtExceptionHandler(error -> {
            log.error("stream thread failed; replacing it", error);
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.REPLACE_THREAD;
        });
        streams.start();
        if (!running.await(startTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
            String reason = "streams did not reach RUNNING within " + startTimeout;
            abandonStart(health, reason, streams, streamsMetrics, egressTopics, ticks);
            throw new IllegalStateException(reason);
        }
        try {
            clients.requireMainConsumers(config.threads());
        } catch (IllegalStateException refused) {
            abandonStart(health, refused.getMessage(), streams, streamsMetrics, egressTopics, ticks);
            throw refused;
        }
        AutoCloseable cdc = config.cdc().enabled() ? CdcRelay.start(config.cdc(), new CdcRelay.Cluster(
                config.bootstrapServers(), config.applicationId(), config.topicPrefix(), config.replicationFactor()),
                topics, Clock.systemUTC()) : () -> { };
        health.serving();
        return new ProcessorApp(streams, cdc, health, streamsMetrics, egressTopics, ticks);
    }

    /**
     * SIGTERM: the CDC engine stops first (it commits its offsets and its janitor stops, then the CDC lock is
     * released for a standby), then Streams commits its tasks' transactions and leaves the group at once, so
     * that another instance, or this one restarted, takes the partitions without waiting for the session
     * timeout. Bounded by {@link #CLOSE_TIMEOUT} each. Not ready from the first moment.
     */
    @Override
    public void close() throws Exception {
        long started = System.nanoTime();
        health.draining();
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
            streamsMetrics.close();
            egressTopics.close();
            ticks.close();
        }
    }

    /** A start that cannot go on: failed in {@code health}, and what it opened closed again. */
    private static void abandonStart(Health health, String reason, KafkaStreams streams,
                                     KafkaStreamsMetrics streamsMetrics, EgressTopics egressTopics,
                                     InputTicks ticks) {
        health.failed(reason);
        streams.close(Duration.ofSeconds(10));
        streamsMetrics.close();
        egressTopics.close();
        ticks.close();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
