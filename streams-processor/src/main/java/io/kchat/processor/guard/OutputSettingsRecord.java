package io.kchat.processor.guard;

import io.kchat.schemas.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * The output settings recorded for one application id: the latest value of its key in a compacted topic of one
 * partition. Read and written once per start with plain clients, before Kafka Streams runs, so no consumer group and
 * no transaction are involved.
 */
public final class OutputSettingsRecord {

    /** How long one poll may wait while the partition is read to its end. */
    private static final Duration POLL = Duration.ofMillis(200);

    private final String bootstrapServers;
    private final Topic<String, String> topic;
    private final String applicationId;
    private final Duration timeout;

    /** {@code timeout} bounds a whole read, and a whole write until the broker acknowledged it. */
    public OutputSettingsRecord(String bootstrapServers, Topic<String, String> topic, String applicationId,
                                Duration timeout) {
        if (topic.partitions() != 1) {
            // the latest value per key is only well defined in one partition's order
            throw new IllegalArgumentException(topic.name() + " must have one partition, not " + topic.partitions());
        }
        this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        this.topic = topic;
        this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public String topicName() {
        return topic.name();
    }

    public String applicationId() {
        return applicationId;
    }

    /**
     * The description recorded last for the application id, empty when there is none (or its latest record is a
     * tombstone). Read committed: the processor writes it without a transaction, but a record of a transaction
     * some other writer aborted must not count.
     */
    public Optional<String> read() {
        TopicPartition partition = new TopicPartition(topic.name(), 0);
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.<String, Object>of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, applicationId + "-output-settings",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer())) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long end = consumer.endOffsets(List.of(partition), timeout).get(partition);
            Optional<String> latest = Optional.empty();
            while (consumer.position(partition, timeout) < end) {
                if (System.nanoTime() - deadline > 0) {
                    throw unreadWithin(null);
                }
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                    if (applicationId.equals(record.key())) {
                        latest = Optional.ofNullable(record.value());
                    }
                }
            }
            return latest;
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw unreadWithin(e);
        }
    }

    private IllegalStateException unreadWithin(Exception cause) {
        return new IllegalStateException("could not read " + topic.name() + " to its end within " + timeout, cause);
    }

    /** Records {@code description} for the application id and returns once every in-sync replica has it. */
    public void write(String description) throws InterruptedException {
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.<String, Object>of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, applicationId + "-output-settings",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.MAX_BLOCK_MS_CONFIG, timeout.toMillis()),
                topic.keySerde().serializer(), topic.valueSerde().serializer())) {
            producer.send(new ProducerRecord<>(topic.name(), applicationId, description))
                    .get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("could not record " + description + " for " + applicationId + " in "
                    + topic.name() + " within " + timeout, e);
        }
    }
}
