package io.kchat.delivery.loop;

import io.kchat.delivery.metrics.DeliveryMetrics;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One consumer that hands every polled batch to a {@link BatchHandler} and commits the batch's offsets
 * only after the handler returned: at-least-once, so handlers are idempotent. A handler that cannot
 * finish now throws {@link RetryBatchException}: nothing is committed, the consumer is rewound to the
 * batch's first offsets and reads it again after {@code retryBackoff}.
 *
 * <p>A {@link PartialBatchHandler} may also leave the tail of some partitions for later (what it needs is not there
 * yet): the loop commits those partitions only up to where it stopped, reads them again from there after {@code
 * holdPause} and, meanwhile, goes on with every other partition.
 */
public final class ConsumerLoop implements ServiceLoop {

    /** What the loop does with each batch. */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException;
    }

    /** What the loop does with each batch, when part of it may have to wait. */
    @FunctionalInterface
    public interface PartialBatchHandler {
        /**
         * @return the partitions whose records are left for later, each with the offset of the first one left (the
         *         records before it are handled); empty when the whole batch is
         */
        Map<TopicPartition, Long> handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException;
    }

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Duration holdPause;
    private final PartialBatchHandler handler;
    private final DeliveryMetrics metrics;
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    /** Partitions paused because their handler left records for later, with when (nanoTime) to read them again. */
    private final Map<TopicPartition, Long> held = new HashMap<>();

    public ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, List<String> topics, Duration pollTimeout,
                        Duration retryBackoff, BatchHandler handler, DeliveryMetrics metrics) {
        this(name, consumer, topics, pollTimeout, retryBackoff, retryBackoff, records -> {
            handler.handle(records);
            return Map.of();
        }, metrics);
    }

    private ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, List<String> topics, Duration pollTimeout,
                         Duration retryBackoff, Duration holdPause, PartialBatchHandler handler,
                         DeliveryMetrics metrics) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.pollTimeout = pollTimeout;
        this.retryBackoff = retryBackoff;
        this.holdPause = holdPause;
        this.handler = handler;
        this.metrics = metrics;
    }

    /** A loop whose handler may leave records for later: they are read again {@code holdPause} after. */
    public static ConsumerLoop partial(String name, Consumer<byte[], byte[]> consumer, List<String> topics,
                                       Duration pollTimeout, Duration retryBackoff, Duration holdPause,
                                       PartialBatchHandler handler, DeliveryMetrics metrics) {
        return new ConsumerLoop(name, consumer, topics, pollTimeout, retryBackoff, holdPause, handler, metrics);
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics);
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(resumeHeld());
                if (!records.isEmpty()) {
                    handle(records);
                }
            }
        } catch (WakeupException e) {
            if (running()) {
                throw e;
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            log.info("{} interrupted, stopping", name);
        } finally {
            consumer.close();
        }
    }

    @Override
    public void stop() {
        stopRequested.countDown();
        consumer.wakeup();
    }

    private boolean running() {
        return stopRequested.getCount() > 0;
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        Map<TopicPartition, Long> leftFrom;
        try {
            leftFrom = handler.handle(records);
        } catch (RetryBatchException e) {
            metrics.retried(name);
            // the message says why; the cause's own text may list a JDBC batch with its values
            log.warn("{}: {}; reading the batch of {} again in {}", name, e.getMessage(), records.count(),
                    retryBackoff);
            log.debug("{}: batch failure", name, e.getCause());
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
            stopRequested.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>(SyncCommits.after(records));
        if (!leftFrom.isEmpty()) {
            long until = System.nanoTime() + holdPause.toNanos();
            leftFrom.forEach((partition, offset) -> {
                offsets.put(partition, new OffsetAndMetadata(offset));
                consumer.seek(partition, offset);
                held.put(partition, until);
            });
            consumer.pause(leftFrom.keySet());
            log.debug("{}: holding {} for {}", name, leftFrom, holdPause);
        }
        SyncCommits.commit(consumer, offsets, name);
    }

    /**
     * Resumes the held partitions whose pause is over.
     *
     * @return how long the next poll may block: no longer than until the next held partition is due
     */
    private Duration resumeHeld() {
        if (held.isEmpty()) {
            return pollTimeout;
        }
        long now = System.nanoTime();
        Set<TopicPartition> due = new HashSet<>();
        held.entrySet().removeIf(entry -> entry.getValue() - now <= 0 && due.add(entry.getKey()));
        // a partition revoked meanwhile is another consumer's now (it reads it from the committed offset)
        due.retainAll(consumer.paused());
        consumer.resume(due);
        long next = held.values().stream().mapToLong(until -> until - now).min().orElse(pollTimeout.toNanos());
        return Duration.ofNanos(Math.max(0, Math.min(next, pollTimeout.toNanos())));
    }

}
