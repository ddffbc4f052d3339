package io.kchat.delivery.loop;

import io.kchat.delivery.metrics.DeliveryMetrics;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
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
 */
public final class ConsumerLoop implements ServiceLoop {

    /** What the loop does with each batch. */
    @FunctionalInterface
    public interface BatchHandler {
        void handle(ConsumerRecords<byte[], byte[]> records) throws RetryBatchException;
    }

    private static final Logger log = LoggerFactory.getLogger(ConsumerLoop.class);

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final List<String> topics;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final BatchHandler handler;
    private final DeliveryMetrics metrics;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    public ConsumerLoop(String name, Consumer<byte[], byte[]> consumer, List<String> topics, Duration pollTimeout,
                        Duration retryBackoff, BatchHandler handler, DeliveryMetrics metrics) {
        this.name = name;
        this.consumer = consumer;
        this.topics = List.copyOf(topics);
        this.pollTimeout = pollTimeout;
        this.retryBackoff = retryBackoff;
        this.handler = handler;
        this.metrics = metrics;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(topics);
            while (running()) {
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
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
        try {
            handler.handle(records);
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
        SyncCommits.commit(consumer, SyncCommits.after(records), name);
    }

}
