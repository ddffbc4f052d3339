package io.kchat.delivery.loop;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The service's synchronous offset commits: {@link ConsumerLoop} after each batch. Every loop here is at-least-once, so a commit that fails because the partitions moved only means
 * their new owner repeats what the commit covered.
 */
public final class SyncCommits {

    private static final Logger log = LoggerFactory.getLogger(SyncCommits.class);

    private SyncCommits() {
    }

    /** Per partition of {@code records}, the offset after its last record: what committing the batch says. */
    public static Map<TopicPartition, OffsetAndMetadata> after(ConsumerRecords<?, ?> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition partition : records.partitions()) {
            offsets.put(partition, new OffsetAndMetadata(records.records(partition).getLast().offset() + 1));
        }
        return offsets;
    }

    /**
     * Commits {@code offsets} for {@code loop} and waits. A stop request (wakeup) arriving mid-commit does not cut it
     * short: the loop ends after it. A commit refused after a rebalance is logged, not thrown.
     */
    public static void commit(Consumer<?, ?> consumer, Map<TopicPartition, OffsetAndMetadata> offsets, String loop) {
        try {
            try {
                consumer.commitSync(offsets);
            } catch (WakeupException e) {
                consumer.commitSync(offsets);
            }
        } catch (CommitFailedException | RebalanceInProgressException e) {
            log.warn("{}: commit of {} failed after a rebalance; the partitions' new owner repeats what it covered",
                    loop, offsets, e);
        }
    }
}
