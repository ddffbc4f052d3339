package io.kchat.assistant.control;

import io.kchat.assistant.answer.ActiveAnswers;
import io.kchat.events.AssistantStop;
import io.kchat.schemas.AvroSerde;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every stop request (chat.assistant-control, one partition) without a group, from the end as of the start:
 * any instance may be writing the answer a stop is for, and a stop is only for an answer being written now. The
 * instance writing it stops it; every other instance, and a stop from anyone but the asker, ignores it.
 */
public final class StopLoop implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(StopLoop.class);

    private final Consumer<byte[], byte[]> consumer;
    private final AvroSerde<AssistantStop> serde;
    private final ActiveAnswers active;
    private final Duration pollTimeout;
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** Assigns the partition and finds its end now, so that a stop written after this returns is read. */
    public StopLoop(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<AssistantStop> serde,
                    ActiveAnswers active, Duration pollTimeout) {
        this.consumer = consumer;
        this.serde = serde;
        this.active = active;
        this.pollTimeout = pollTimeout;
        List<TopicPartition> partitions = List.of(new TopicPartition(topic, 0));
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
    }

    @Override
    public void run() {
        try {
            while (stopRequested.getCount() > 0) {
                consumer.poll(pollTimeout).forEach(this::handle);
            }
        } catch (WakeupException e) {
            if (stopRequested.getCount() > 0) {
                throw e;
            }
        } catch (InterruptException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    public void stop() {
        stopRequested.countDown();
        consumer.wakeup();
    }

    private void handle(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return;
        }
        AssistantStop stop;
        try {
            stop = serde.decode(record.value());
        } catch (SerializationException e) {
            log.error("skipping undecodable stop {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return;
        }
        if (active.stop(stop.getConversationId(), stop.getReplyTo(), stop.getUserId())) {
            log.info("stopping the answer to {}#{} as its asker asked", stop.getConversationId(), stop.getReplyTo());
        }
    }
}
