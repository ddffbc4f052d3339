package io.kchat.delivery;

import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/** Committed offsets of consumer groups, to know when a loop has handled everything there is. */
public final class GroupOffsets {

    private GroupOffsets() {
    }

    /** Partition ("topic-n") to committed offset. */
    public static Map<String, Long> committed(Admin admin, String groupId)
            throws ExecutionException, InterruptedException {
        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(groupId)
                .partitionsToOffsetAndMetadata().get();
        return offsets.entrySet().stream().filter(e -> e.getValue() != null).collect(Collectors.toMap(
                e -> e.getKey().toString(), e -> e.getValue().offset(), (a, b) -> a, TreeMap::new));
    }

    /** Waits until the group committed every record of {@code topic} (written without transactions). */
    static void awaitCaughtUp(Admin admin, String groupId, String topic, int partitions) {
        List<TopicPartition> all = IntStream.range(0, partitions)
                .mapToObj(p -> new TopicPartition(topic, p)).toList();
        await().atMost(TopicReader.TIMEOUT).until(() -> {
            Map<String, Long> committed = committed(admin, groupId);
            var ends = admin.listOffsets(all.stream().collect(Collectors.toMap(Function.identity(),
                    p -> OffsetSpec.latest()))).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || e.getValue().offset() == committed.getOrDefault(e.getKey().toString(), -1L));
        });
    }
}
