package io.kchat.gateway.egress;

import io.kchat.events.Delivery;
import io.kchat.events.SessionRoute;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicProvisioner;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads this node's egress topic (D5) and hands each item to the sessions its routes name here.
 *
 * <p>No consumer group and no commits: the node's sessions die with the process, so a restarted node starts
 * at the end of its topic; a device reconnecting anywhere gets its unacked events by replay. Read uncommitted
 * like the rest of the live path (D3): repeats are dropped per session by userSeq. A record this gateway cannot
 * read or hand over (an item of a newer schema, a poison record) is logged and skipped, never fatal. Each record
 * is handed over under the correlation id it carries, so that the push to a socket is logged with it.
 */
public final class EgressConsumer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EgressConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration PARTITIONS_TIMEOUT = Duration.ofSeconds(30);

    private final Consumer<byte[], byte[]> consumer;
    private final String nodeId;
    private final DeliverySink sink;
    private final AvroSerde<Delivery> serde = AvroSerde.of(Delivery.class);
    private final Thread thread;
    private volatile boolean running = true;

    private EgressConsumer(Consumer<byte[], byte[]> consumer, String nodeId, DeliverySink sink) {
        this.consumer = consumer;
        this.nodeId = nodeId;
        this.sink = sink;
        this.thread = Thread.ofPlatform().name("egress-" + nodeId).unstarted(this::run);
    }

    /**
     * Creates the egress topic if missing and starts reading from its end. Returns once the start position is
     * fixed: start it before accepting sockets, so that no item for a new session can precede it.
     *
     * @param egress the node's topic, {@code TopicCatalogue#egress(nodeId)}
     */
    public static EgressConsumer start(String bootstrapServers, TopicProvisioner provisioner,
                                       Topic<String, Delivery> egress, String nodeId, DeliverySink sink) {
        provisioner.ensure(List.of(egress));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, "egress-" + nodeId,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
        try {
            List<TopicPartition> partitions = partitionsOf(consumer, egress);
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            // seekToEnd is lazy: resolve it now, before any session of this run can open
            partitions.forEach(consumer::position);
        } catch (RuntimeException e) {
            consumer.close();
            throw e;
        }
        EgressConsumer egressConsumer = new EgressConsumer(consumer, nodeId, sink);
        egressConsumer.thread.start();
        log.info("reading egress {} of node {} from its end", egress.name(), nodeId);
        return egressConsumer;
    }

    /** False once the reading thread ended: on {@link #close()}, or because it failed (the node is then useless). */
    public boolean isAlive() {
        return thread.isAlive();
    }

    /** The consumer's own metrics (fetch rates, {@code records-lag-max}...) for a meter registry. */
    public KafkaClientMetrics clientMetrics() {
        return new KafkaClientMetrics(consumer);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumer.wakeup();
        if (!thread.join(STOP_TIMEOUT)) {
            log.warn("egress consumer of node {} did not stop within {}", nodeId, STOP_TIMEOUT);
        }
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL_TIMEOUT)) {
                    try (Correlation.Scope ignored = Correlation.open(record.headers())) {
                        dispatch(record);
                    } catch (RuntimeException e) {
                        // a poison record is skipped: the node's sessions must keep getting their events
                        log.error("skipping record {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
                    }
                }
            }
        } catch (WakeupException | InterruptException e) {
            if (running) {
                log.error("egress consumer of node {} stopped unexpectedly", nodeId, e);
            }
        } catch (RuntimeException e) {
            log.error("egress consumer of node {} failed: its sessions get no more events", nodeId, e);
            throw e;
        } finally {
            consumer.close();
        }
    }

    private void dispatch(ConsumerRecord<byte[], byte[]> record) {
        Delivery delivery;
        try {
            delivery = record.value() == null ? null : serde.decode(record.value());
        } catch (SerializationException e) {
            // e.g. an item or payload added by a newer schema this gateway was not built with
            log.error("skipping undeserializable record {}-{}@{}", record.topic(), record.partition(),
                    record.offset(), e);
            return;
        }
        if (delivery == null) {
            return;
        }
        for (SessionRoute route : delivery.getRoutes()) {
            if (!nodeId.equals(route.getNodeId())) {
                continue;
            }
            try {
                sink.deliver(route.getSessionId(), delivery.getItem());
            } catch (RuntimeException e) {
                // one session's failure must not starve the node's other sessions
                log.error("cannot deliver to session {} (record {}-{}@{})", route.getSessionId(), record.topic(),
                        record.partition(), record.offset(), e);
            }
        }
    }

    private static List<TopicPartition> partitionsOf(Consumer<?, ?> consumer, Topic<?, ?> topic) {
        // a topic created a moment ago may not be in the metadata of the broker asked yet
        long deadline = System.nanoTime() + PARTITIONS_TIMEOUT.toNanos();
        while (true) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic.name(), PARTITIONS_TIMEOUT);
            if (infos != null && !infos.isEmpty()) {
                return infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("egress topic " + topic.name() + " has no partitions");
            }
            LockSupport.parkNanos(Duration.ofMillis(100).toNanos());
        }
    }
}
