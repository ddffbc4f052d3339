package io.kchat.bench;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;

/**
 * One consume step of the Kafka floor on its own thread: reads every partition of a topic from the start and hands
 * each record to {@code handler} (a relay producing to the next leg, or the final recipient).
 */
final class FloorStage implements Runnable {

    private static final Duration POLL = Duration.ofMillis(100);
    private static final Duration ASSIGN_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration METADATA_RETRY = Duration.ofMillis(100);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;
    private final int partitions;
    private final Consumer<ConsumerRecord<byte[], byte[]>> handler;
    private final CountDownLatch assigned = new CountDownLatch(1);
    private volatile boolean running = true;
    private volatile Throwable failure;

    FloorStage(KafkaConsumer<byte[], byte[]> consumer, String topic, int partitions,
               Consumer<ConsumerRecord<byte[], byte[]>> handler) {
        this.consumer = consumer;
        this.topic = topic;
        this.partitions = partitions;
        this.handler = handler;
    }

    @Override
    public void run() {
        try {
            List<TopicPartition> owned = partitions();
            consumer.assign(owned);
            consumer.seekToBeginning(owned);
            owned.forEach(consumer::position);
            assigned.countDown();
            while (running) {
                consumer.poll(POLL).forEach(handler);
            }
        } catch (WakeupException e) {
            if (running) {
                failure = e;
            }
        } catch (RuntimeException | Error e) {
            failure = e;
        } finally {
            assigned.countDown();
            consumer.close();
        }
    }

    /** Waits until the stage reads from the start of every partition; false if it failed or took too long. */
    boolean awaitAssigned() throws InterruptedException {
        return assigned.await(ASSIGN_TIMEOUT.toSeconds(), TimeUnit.SECONDS) && failure == null;
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    Throwable failure() {
        return failure;
    }

    /** A topic just created may not be in the metadata yet: asks again until all its partitions are. */
    private List<TopicPartition> partitions() {
        long deadline = System.nanoTime() + ASSIGN_TIMEOUT.toNanos();
        while (true) {
            List<PartitionInfo> found = consumer.partitionsFor(topic);
            if (found != null && found.size() == partitions) {
                return found.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(topic + " has " + (found == null ? 0 : found.size())
                        + " partitions in the metadata, expected " + partitions);
            }
            LockSupport.parkNanos(METADATA_RETRY.toNanos());
        }
    }
}
