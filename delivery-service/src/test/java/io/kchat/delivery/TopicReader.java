package io.kchat.delivery;

import static org.awaitility.Awaitility.await;

import io.kchat.schemas.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic from its beginning, keeping every record seen so far, in partition order. */
public final class TopicReader<V> implements AutoCloseable {

    public static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, V> consumer;
    private final List<TopicPartition> partitions = new ArrayList<>();
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    public TopicReader(String bootstrapServers, Topic<String, V> topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more short poll. */
    List<ConsumerRecord<String, V>> poll() {
        consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** Everything in the topic now: reads until every partition's end offset of this moment. */
    public List<ConsumerRecord<String, V>> readToEnd() {
        Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
        await().atMost(TIMEOUT).until(() -> {
            poll();
            return partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
        });
        return List.copyOf(seen);
    }

    /** Waits until {@code count} records read so far match, and returns those. */
    List<ConsumerRecord<String, V>> awaitMatching(Predicate<ConsumerRecord<String, V>> filter, int count) {
        await().atMost(TIMEOUT).until(() -> poll().stream().filter(filter).count() >= count);
        return seen.stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
