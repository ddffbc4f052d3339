package io.kchat.fault;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Records written inside a transaction that was then aborted: what a read_uncommitted reader (the live path,
 * D3) got and a read_committed one (the archive) never will. {@link #endsOf} marks where the partitions end
 * now; {@link #since} counts the aborted records written after that mark.
 */
final class AbortedRecords {

    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration ADMIN_TIMEOUT = Duration.ofSeconds(30);

    private AbortedRecords() {
    }

    /** The end of every partition of {@code topics} now: the high watermark, open transactions included. */
    static Map<TopicPartition, Long> endsOf(String bootstrapServers, Collection<String> topics) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<TopicPartition> partitions = admin.describeTopics(topics).allTopicNames()
                    .get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values().stream()
                    .flatMap(topic -> topic.partitions().stream()
                            .map(partition -> new TopicPartition(topic.name(), partition.partition())))
                    .collect(Collectors.toSet());
            return endsOf(admin, partitions);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing " + topics, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe " + topics, e);
        }
    }

    /**
     * How many records written between {@code from} and the partitions' ends now were aborted, per topic (topics
     * without any are left out). Waits up to {@code timeout} for the transactions open in that range to end.
     */
    static Map<String, Integer> since(String bootstrapServers, Map<TopicPartition, Long> from, Duration timeout) {
        Map<TopicPartition, Long> to;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            to = endsOf(admin, from.keySet());
        }
        Map<TopicPartition, Set<Long>> written = read(bootstrapServers, "read_uncommitted", from, to, timeout);
        Map<TopicPartition, Set<Long>> committed = read(bootstrapServers, "read_committed", from, to, timeout);
        Map<String, Integer> aborted = new TreeMap<>();
        written.forEach((partition, offsets) -> {
            Set<Long> notCommitted = new HashSet<>(offsets);
            notCommitted.removeAll(committed.getOrDefault(partition, Set.of()));
            if (!notCommitted.isEmpty()) {
                aborted.merge(partition.topic(), notCommitted.size(), Integer::sum);
            }
        });
        return aborted;
    }

    private static Map<TopicPartition, Long> endsOf(Admin admin, Set<TopicPartition> partitions) {
        Map<TopicPartition, OffsetSpec> latest = partitions.stream()
                .collect(Collectors.toMap(partition -> partition, partition -> OffsetSpec.latest()));
        try {
            return admin.listOffsets(latest).all().get(ADMIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .entrySet().stream()
                    .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, entry -> entry.getValue().offset()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing offsets", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list the offsets of " + partitions, e);
        }
    }

    /**
     * The offsets a reader with {@code isolationLevel} gets in [from, to) of each partition. A read_committed
     * reader gets past an offset only once the transaction holding it ended, so this also waits for that.
     */
    private static Map<TopicPartition, Set<Long>> read(String bootstrapServers, String isolationLevel,
                                                        Map<TopicPartition, Long> from, Map<TopicPartition, Long> to,
                                                        Duration timeout) {
        Map<TopicPartition, Set<Long>> offsets = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 10_000,
                ConsumerConfig.CLIENT_ID_CONFIG, "aborted-records-" + isolationLevel,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class))) {
            consumer.assign(from.keySet());
            from.forEach(consumer::seek);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!from.keySet().stream().allMatch(partition -> consumer.position(partition) >= to.get(partition))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the " + isolationLevel + " reader did not reach " + to + " within "
                            + timeout + " (a transaction stayed open?)");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < to.get(partition)) {
                        offsets.computeIfAbsent(partition, p -> new HashSet<>()).add(record.offset());
                    }
                }
            }
        }
        return offsets;
    }
}
