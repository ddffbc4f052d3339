package io.kchat.assistant.intake;

import io.kchat.events.ChatMessage;
import io.kchat.observability.Correlation;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.AvroSerde;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads chat.messages (read_committed) as the group {@code <prefix>kchat-assistant} and hands every question (a
 * person's message in an assistant conversation) to its conversation's worker. Commits each partition only up to its
 * first unanswered question ({@link PartitionProgress}, D15). Pauses its partitions while {@code maxWaiting}
 * questions wait or are being answered. A revoked partition's answers are cancelled and what they finished is
 * committed; its next owner answers the rest again under the same idempotency ids.
 */
public final class QuestionLoop implements Runnable, ConversationWorkers.Outcomes {

    private static final Logger log = LoggerFactory.getLogger(QuestionLoop.class);

    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final AvroSerde<ChatMessage> serde;
    private final AssistantConversations types;
    private final ConversationWorkers workers;
    private final int maxWaiting;
    private final Duration pollTimeout;
    private final Duration retryBackoff;
    private final Map<TopicPartition, PartitionProgress> progress = new ConcurrentHashMap<>();
    private final AtomicInteger waiting = new AtomicInteger();
    private final CountDownLatch stopRequested = new CountDownLatch(1);

    /** {@code handler} answers on the conversations' own threads; {@code cancelTimeout} bounds a rebalance's wait. */
    public QuestionLoop(Consumer<byte[], byte[]> consumer, String topic, AvroSerde<ChatMessage> serde,
                        AssistantConversations types, ConversationWorkers.Handler handler, int maxWaiting,
                        Duration pollTimeout, Duration retryBackoff, Duration cancelTimeout) {
        this.consumer = consumer;
        this.topic = topic;
        this.serde = serde;
        this.types = types;
        this.workers = new ConversationWorkers(handler, this, retryBackoff, cancelTimeout);
        this.maxWaiting = maxWaiting;
        this.pollTimeout = pollTimeout;
        this.retryBackoff = retryBackoff;
    }

    /** Questions read and not answered yet (waiting, or being answered). */
    public int waiting() {
        return waiting.get();
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running()) {
                pauseWhenFull();
                ConsumerRecords<byte[], byte[]> records = consumer.poll(pollTimeout);
                if (!records.isEmpty()) {
                    handle(records);
                }
                commit(progress.keySet(), false);
            }
        } catch (WakeupException e) {
            if (running()) {
                throw e;
            }
        } catch (InterruptedException | InterruptException e) {
            Thread.currentThread().interrupt();
            log.info("question loop interrupted, stopping");
        } finally {
            close();
        }
    }

    public void stop() {
        stopRequested.countDown();
        consumer.wakeup();
    }

    private boolean running() {
        return stopRequested.getCount() > 0;
    }

    private void pauseWhenFull() {
        if (waiting.get() >= maxWaiting) {
            consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
            consumer.resume(consumer.paused());
        }
    }

    private void handle(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
        Map<ConsumerRecord<byte[], byte[]>, ChatMessage> messages = new HashMap<>();
        Set<String> asked = new HashSet<>();
        for (ConsumerRecord<byte[], byte[]> record : records) {
            ChatMessage message = decode(record);
            if (message != null && !AssistantUser.ID.equals(message.getSenderId())) {
                messages.put(record, message);
                asked.add(message.getConversationId());
            }
        }
        Set<String> assistant;
        try {
            assistant = types.assistant(asked);
        } catch (SQLException e) {
            log.warn("cannot read conversation types ({}); reading the batch of {} again in {}", e.getMessage(),
                    records.count(), retryBackoff);
            for (TopicPartition partition : records.partitions()) {
                consumer.seek(partition, records.records(partition).getFirst().offset());
            }
            stopRequested.await(retryBackoff.toMillis(), TimeUnit.MILLISECONDS);
            return;
        }
        for (TopicPartition partition : records.partitions()) {
            PartitionProgress partitionProgress = progress.computeIfAbsent(partition, p -> new PartitionProgress());
            for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
                ChatMessage message = messages.get(record);
                boolean question = message != null && assistant.contains(message.getConversationId());
                partitionProgress.add(record.offset(), question);
                if (question) {
                    waiting.incrementAndGet();
                    workers.submit(question(message, record));
                }
            }
        }
    }

    private ChatMessage decode(ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            return null;
        }
        try {
            return serde.decode(record.value());
        } catch (SerializationException e) {
            // a poison record must not hold back every question behind it
            log.error("skipping undecodable record {}-{}@{}", record.topic(), record.partition(), record.offset(), e);
            return null;
        }
    }

    private static Question question(ChatMessage message, ConsumerRecord<byte[], byte[]> record) {
        String correlationId = Correlation.of(record.headers());
        return new Question(message.getConversationId(), message.getSeq(), message.getSenderId(), message.getBody(),
                message.getTs(), new TopicPartition(record.topic(), record.partition()), record.offset(),
                correlationId == null ? Correlation.newId() : correlationId);
    }

    @Override
    public void answered(Question question) {
        PartitionProgress partitionProgress = progress.get(question.partition());
        if (partitionProgress != null) {
            partitionProgress.complete(question.offset());
        }
        waiting.decrementAndGet();
    }

    @Override
    public void dropped(Question question) {
        waiting.decrementAndGet();
    }

    /** Commits the watermarks of {@code partitions} that moved; {@code sync} when the partitions are leaving. */
    private void commit(Collection<TopicPartition> partitions, boolean sync) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : partitions) {
            PartitionProgress partitionProgress = progress.get(partition);
            if (partitionProgress != null) {
                partitionProgress.toCommit().ifPresent(offset -> offsets.put(partition, new OffsetAndMetadata(offset)));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        if (sync) {
            try {
                consumer.commitSync(offsets);
                offsets.forEach((partition, offset) -> progress.get(partition).committed(offset.offset()));
            } catch (CommitFailedException | RebalanceInProgressException e) {
                log.warn("commit of {} failed after a rebalance; the partitions' new owner answers again what it "
                        + "covered, under the same idempotency ids", offsets, e);
            }
            return;
        }
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error != null) {
                log.debug("commit of {} failed; the next one covers it", offsets, error);
            } else {
                committed.forEach((partition, offset) -> {
                    PartitionProgress partitionProgress = progress.get(partition);
                    if (partitionProgress != null) {
                        partitionProgress.committed(offset.offset());
                    }
                });
            }
        });
    }

    /** Cancels every answer, commits what is finished and leaves the group. */
    private void close() {
        try {
            workers.cancelAll();
            commitLeaving(new ArrayList<>(progress.keySet()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.warn("last commit before closing failed; the partitions' next owner answers again what it covered", e);
        } finally {
            consumer.close();
        }
    }

    private void commitLeaving(Collection<TopicPartition> partitions) {
        try {
            commit(partitions, true);
        } catch (WakeupException e) {
            // a stop request arriving mid-commit: finish the commit, the loop ends after it
            commit(partitions, true);
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            cancel(partitions);
            commitLeaving(partitions);
            partitions.forEach(progress::remove);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            // progress starts with the first record read: the position is the committed offset
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> partitions) {
            cancel(partitions);
            partitions.forEach(progress::remove);
        }

        private void cancel(Collection<TopicPartition> partitions) {
            try {
                workers.cancel(partitions);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
