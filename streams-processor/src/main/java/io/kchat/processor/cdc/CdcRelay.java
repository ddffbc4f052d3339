package io.kchat.processor.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.kchat.schemas.TopicCatalogue;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Debezium embedded engine (D1, D8): relays the outbox table to chat.inbound as the safety net
 * for a gateway that crashed between its commit and its publish, the users and devices tables to
 * their CDC topics, and device registrations and removals to the user side. At-least-once: offsets
 * are marked only after Kafka acknowledged the batch, and every consumer applies these idempotently.
 *
 * <p>With several processors exactly one engine runs: the holder of the {@link CdcLeadership} lock.
 * The others stand by quietly and take over once it is released. The active one also deletes the
 * outbox rows it has relayed ({@link OutboxJanitor}).
 */
public final class CdcRelay implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CdcRelay.class);
    private static final long STANDBY_RETRY_MILLIS = 5_000;
    private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    private static final long LEADERSHIP_CHECK_SECONDS = 5;
    private static final long JANITOR_PERIOD_SECONDS = 60;

    private final Properties engineProperties;
    private final Producer<byte[], byte[]> producer;
    private final CdcRecordMapper mapper;
    private final CdcLeadership leadership;
    private final DeviceRows deviceRows;
    private final OutboxJanitor janitor;
    private final AtomicLong relayedOutboxId = new AtomicLong();
    private final Thread supervisor;
    private final ScheduledExecutorService housekeeping;
    private volatile boolean closing;
    private volatile DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;

    /** The Kafka side the engine works against: where, under which name, with what replication. */
    public record Cluster(String bootstrapServers, String applicationId, String topicPrefix, short replicationFactor) {
    }

    private CdcRelay(CdcConfig config, Cluster cluster, TopicCatalogue topics, Producer<byte[], byte[]> producer,
                     Clock clock) {
        this.engineProperties = CdcEngineProperties.of(config, cluster);
        this.producer = producer;
        this.leadership = new CdcLeadership(config);
        this.deviceRows = new DeviceRows(config);
        this.mapper = new CdcRecordMapper(topics, CdcEngineProperties.TOPIC_PREFIX, deviceRows::exists);
        this.janitor = new OutboxJanitor(config, relayedOutboxId::get, clock);
        this.supervisor = Thread.ofPlatform().name("cdc-supervisor").daemon().unstarted(this::superviseEngine);
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("cdc-housekeeping").daemon().factory());
    }

    /** Starts standing by for the CDC lock; {@code clock} times the outbox cleanup (wall clock, D11). */
    public static CdcRelay start(CdcConfig config, Cluster cluster, TopicCatalogue topics, Clock clock) {
        Producer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.CLIENT_ID_CONFIG, cluster.applicationId() + "-cdc",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
                new ByteArraySerializer(), new ByteArraySerializer());
        CdcRelay relay = new CdcRelay(config, cluster, topics, producer, clock);
        relay.supervisor.start();
        relay.housekeeping.scheduleWithFixedDelay(relay::watchLeadership,
                LEADERSHIP_CHECK_SECONDS, LEADERSHIP_CHECK_SECONDS, TimeUnit.SECONDS);
        relay.housekeeping.scheduleWithFixedDelay(relay.janitor::runQuietly,
                JANITOR_PERIOD_SECONDS, JANITOR_PERIOD_SECONDS, TimeUnit.SECONDS);
        return relay;
    }

    /** The highest outbox id this instance has relayed and Kafka acknowledged; 0 before the first. */
    long relayedOutboxId() {
        return relayedOutboxId.get();
    }

    private void superviseEngine() {
        while (!closing) {
            try {
                if (leadership.tryAcquire()) {
                    runEngine();
                }
            } catch (SQLException e) {
                log.warn("could not reach the database for the CDC lock; retrying", e);
                leadership.release();
            }
            if (closing) {
                return;
            }
            try {
                Thread.sleep(STANDBY_RETRY_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs one engine until it stops: closed, failed, or stopped because the lock was lost. */
    private void runEngine() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> next = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(engineProperties)
                .using((success, message, error) -> {
                    if (!success && !closing) {
                        log.warn("CDC engine stopped ({}); restarting it while this instance holds the lock", message, error);
                    }
                })
                .notifying(this::relay)
                .build();
        engine = next;
        if (!closing) {
            next.run();
        }
        engine = null;
    }

    private void watchLeadership() {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
        if (running != null && !closing && !leadership.stillHeld()) {
            // Another instance may hold the lock by now; step back rather than compete for the slot.
            log.warn("lost the CDC lock; stopping the engine and standing by");
            closeQuietly(running);
            leadership.release();
        }
    }

    private void relay(List<RecordChangeEvent<SourceRecord>> batch,
                       DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Future<RecordMetadata>> sends = new ArrayList<>(batch.size());
        long highestOutboxId = 0;
        try {
            for (RecordChangeEvent<SourceRecord> event : batch) {
                for (ProducerRecord<byte[], byte[]> out : mapper.map(event.record())) {
                    sends.add(producer.send(out));
                }
                highestOutboxId = Math.max(highestOutboxId, mapper.outboxId(event.record()));
            }
            for (Future<RecordMetadata> send : sends) {
                send.get(30, TimeUnit.SECONDS);
            }
        } catch (SQLException | ExecutionException | TimeoutException e) {
            // Not marking the batch makes the engine stop and redeliver it from the last committed offset.
            throw new IllegalStateException("CDC relay could not relay a batch", e);
        }
        relayedOutboxId.accumulateAndGet(highestOutboxId, Math::max);
        for (RecordChangeEvent<SourceRecord> event : batch) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
    }

    private static void closeQuietly(DebeziumEngine<?> running) {
        try {
            running.close();
        } catch (Exception e) {
            log.warn("closing the CDC engine failed", e);
        }
    }

    /**
     * Returns once the supervisor thread ended (or after {@link #CLOSE_TIMEOUT}). The engine refuses {@code close()}
     * while its tasks start (closing then would leak them) and when it is already stopping on its own (a failed
     * batch, a lost lock): the first is asked again shortly, the second needs only the wait.
     */
    private void stopSupervisor() throws InterruptedException {
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        while (supervisor.isAlive() && System.nanoTime() < deadline) {
            DebeziumEngine<RecordChangeEvent<SourceRecord>> running = engine;
            if (running == null) {
                supervisor.interrupt(); // a standby's supervisor is asleep between tries
            } else {
                try {
                    running.close(); // the supervisor returns once the engine has shut down
                } catch (IllegalStateException | IOException e) {
                    log.debug("the CDC engine did not take close() now ({}); waiting for it", e.getMessage());
                }
            }
            supervisor.join(Duration.ofMillis(200));
        }
        if (supervisor.isAlive()) {
            log.warn("the CDC engine did not stop within {}", CLOSE_TIMEOUT);
        }
    }

    /** Stops the engine before releasing the lock, so that a standby never starts beside it. */
    @Override
    public void close() throws Exception {
        closing = true;
        housekeeping.shutdownNow();
        stopSupervisor();
        housekeeping.awaitTermination(10, TimeUnit.SECONDS);
        leadership.close();
        deviceRows.close();
        producer.close();
    }
}
