package io.kchat.assistant.it;

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

/** Every record of a topic from its beginning, read as the test goes, in partition order. */
final class Records<V> implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KafkaConsumer<String, V> consumer;
    private final List<ConsumerRecord<String, V>> seen = new ArrayList<>();

    Records(String bootstrapServers, Topic<String, V> topic) {
        consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                topic.keySerde().deserializer(), topic.valueSerde().deserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            partitions.add(new TopicPartition(topic.name(), p));
        }
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
    }

    /** Everything read so far, after one more short poll. */
    List<ConsumerRecord<String, V>> poll() {
        consumer.poll(Duration.ofMillis(100)).forEach(seen::add);
        return List.copyOf(seen);
    }

    /** The records matching, once there are at least {@code count}. */
    List<ConsumerRecord<String, V>> awaitMatching(Predicate<ConsumerRecord<String, V>> filter, int count) {
        await().atMost(TIMEOUT).until(() -> poll().stream().filter(filter).count() >= count);
        return seen.stream().filter(filter).toList();
    }

    List<ConsumerRecord<String, V>> matching(Predicate<ConsumerRecord<String, V>> filter) {
        return poll().stream().filter(filter).toList();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
