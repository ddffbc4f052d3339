package io.kchat.delivery.routing;

import io.kchat.delivery.loop.RecordDecoder;
import io.kchat.delivery.loop.ServiceLoop;
import io.kchat.delivery.loop.SyncCommits;
import io.kchat.delivery.metrics.DeliveryMetrics;
import io.kchat.events.Delivery;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes chat.deliveries to the egress topic of every gateway node named in a record's routes (D5).
 *
 * <p>At-least-once: a polled batch counts as routed only once every copy it produced was acknowledged
 * (acks=all); when one failed, the batch is read again. Copies repeated that way carry the same userSeq
 * and gateways drop them.
 *
 * <p>Routed offsets are committed at most every {@code commitInterval} (asynchronously), when partitions are
 * revoked and when the loop stops, not after every batch: a commit per batch put a round trip to the group
 * coordinator, and a write to {@code __consumer_offsets}, behind every poll on the live path. A crash repeats
 * at most the last interval's copies, which gateways drop as above.
 *
 * <p>Runs on one thread; {@link #stop()} may be called from any thread. Owns its consumer; the producer and
 * {@link EgressTopics} are the service's, shared. Each copy keeps the correlation id of the item it copies (the
 * send or session event that caused it), for the gateway's push to log.
 */
public final class DeliveryRouter implements ServiceLoop {

    private static final Logger log = LoggerFactory.getLogger(DeliveryRouter.class);

    private final Consumer<byte[], byte[]> consumer;
    private final Producer<byte[], byte[]> producer;
    private final EgressTopics egressTopics;
    private final String deliveriesTopic;
    private final Duration pollTimeout;
    private final DeliveryMetrics metrics;
    private final Duration commitInterval;
    private final Clock clock;
    private final AvroSerde<Delivery> serde = AvroSerde.of(Delivery.class);
    /** Routed (every copy acknowledged) but not yet committed; touched by the loop's thread only. */
    private final Map<TopicPartition, OffsetAndMetadata> routed = new HashMap<>();
    private Instant lastCommit;
    private volatile boolean running = true;

    public DeliveryRouter(Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer,
                          EgressTopics egressTopics, String deliveriesTopic, Duration pollTimeout,
                          Duration commitInterval, Clock clock, DeliveryMetrics metrics) {
        this.consumer = consumer;
        this.producer = producer;
        this.egressTopics = egressTopics;
        this.deliveriesTopic = deliveriesTopic;
        this.pollTimeout = pollTimeout;
        this.commitInterval = commitInterval;
        this.clock = clock;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            lastCommit = clock.instant();
            consumer.subscribe(List.of(deliveriesTopic), new CommitOnRevocation());
            while (running) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                if (!records.isEmpty()) {
                    routeBatch(records);
                }
                maybeCommit();
            }
            commitRouted();
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
            commitRouted();
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            log.info("delivery router interrupted, stopping");
        } finally {
            consumer.close();
        }
    }

    /** Asks the loop to finish its batch and return; the consumer is closed by the loop's thread. */
    @Override
    public void stop() {
        running = false;
        consumer.wakeup();
    }

    private void routeBatch(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        boolean sent = true;
        for (ConsumerRecord<byte[], byte[]> record : records) {
            if (!route(record, acks)) {
                sent = false;
                break;
            }
        }
        // await even after a refusal: the producer must be idle before the batch is read again
        if (awaitAll(acks) && sent) {
            routed.putAll(SyncCommits.after(records));
        } else {
            // read the batch again: what was acknowledged is produced twice, with the same userSeq
            metrics.retried("delivery-router");
            egressTopics.invalidate();
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
            TimeUnit.MILLISECONDS.sleep(pollTimeout.toMillis());
        }
    }

    /** Produces one copy per node that still has an egress topic; false if a send was refused at once. */
    private boolean route(ConsumerRecord<byte[], byte[]> record, List<Future<RecordMetadata>> acks) {
        Delivery delivery = RecordDecoder.decode(serde, record);
        if (delivery == null) {
            return true;
        }
        String correlation = Correlation.of(record.headers());
        try (Correlation.Scope ignored = Correlation.open(correlation)) {
            return route(delivery, correlation, acks);
        }
    }

    private boolean route(Delivery delivery, String correlation, List<Future<RecordMetadata>> acks) {
        byte[] key = delivery.getUserId().getBytes(StandardCharsets.UTF_8);
        for (Map.Entry<String, Delivery> copy : RoutesByNode.split(delivery).entrySet()) {
            String topic = egressTopics.topicOf(copy.getKey());
            if (topic == null) {
                log.debug("dropping item for user {} to node {}: no egress topic (node gone)",
                        delivery.getUserId(), copy.getKey());
                metrics.dropped(DeliveryMetrics.NODE_GONE);
                continue;
            }
            ProducerRecord<byte[], byte[]> egress = new ProducerRecord<>(topic, key, serde.encode(copy.getValue()));
            if (correlation != null) {
                Correlation.put(egress.headers(), correlation);
            }
            try {
                acks.add(producer.send(egress));
            } catch (KafkaException e) {
                log.warn("cannot send to {} for user {}", topic, delivery.getUserId(), e);
                return false;
            }
            metrics.routed(1);
            log.debug("routed {} for user {} to {}", delivery.getItem().getClass().getSimpleName(),
                    delivery.getUserId(), topic);
        }
        return true;
    }

    private boolean awaitAll(List<Future<RecordMetadata>> acks) throws InterruptedException {
        boolean allAcknowledged = true;
        for (Future<RecordMetadata> ack : acks) {
            try {
                ack.get();
            } catch (ExecutionException e) {
                log.warn("routing a delivery failed; the batch will be read again", e.getCause());
                allAcknowledged = false;
            }
        }
        return allAcknowledged;
    }

    private void maybeCommit() {
        Instant now = clock.instant();
        if (routed.isEmpty() || now.isBefore(lastCommit.plus(commitInterval))) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = takeRouted(now);
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                // nothing is lost: a later commit covers these partitions, or their next owner repeats the copies
                log.warn("commit of {} failed; these items are routed again if the partitions move first", offsets,
                        error);
            }
        });
    }

    /** What was routed, committed now: the loop stops. */
    private void commitRouted() {
        commitNow(takeRouted(clock.instant()));
    }

    /** Hands what was routed to a commit starting {@code now}: the interval starts again. */
    private Map<TopicPartition, OffsetAndMetadata> takeRouted(Instant now) {
        Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(routed);
        routed.clear();
        lastCommit = now;
        return offsets;
    }

    /** Commits and waits (stop, revocation); a failure only means the partitions' new owner repeats these items. */
    private void commitNow(Map<TopicPartition, OffsetAndMetadata> offsets) {
        if (!offsets.isEmpty()) {
            SyncCommits.commit(consumer, offsets, "delivery-router");
        }
    }

    /** Runs inside poll, on the loop's thread: partitions leaving this instance take their routed offsets along. */
    private final class CommitOnRevocation implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            Map<TopicPartition, OffsetAndMetadata> leaving = new HashMap<>();
            for (TopicPartition partition : partitions) {
                OffsetAndMetadata offset = routed.remove(partition);
                if (offset != null) {
                    leaving.put(partition, offset);
                }
            }
            commitNow(leaving);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // nothing to do: reading starts at the committed offsets
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            // another instance owns them already: committing is no longer possible, it repeats what we routed
            partitions.forEach(routed::remove);
        }
    }
}
