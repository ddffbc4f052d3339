package io.kchat.schemas;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates missing topics of the catalogue and refuses to go on when an existing topic has another
 * partition count than the catalogue says (D6): co-partitioning, and so ordering and
 * authorization, would silently break.
 */
public final class TopicProvisioner {

    private static final Logger log = LoggerFactory.getLogger(TopicProvisioner.class);

    /** How long a just-created topic may take to become visible and served. */
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    private final Admin admin;
    private final short replicationFactor;

    public TopicProvisioner(Admin admin, short replicationFactor) {
        this.admin = admin;
        this.replicationFactor = replicationFactor;
    }

    public void ensure(Collection<? extends Topic<?, ?>> topics) {
        try {
            Map<String, Topic<?, ?>> byName = new HashMap<>();
            topics.forEach(t -> byName.put(t.name(), t));
            var existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (Topic<?, ?> topic : topics) {
                if (!existing.contains(topic.name())) {
                    missing.add(newTopic(topic));
                }
            }
            List<String> created = new ArrayList<>();
            for (NewTopic topic : missing) {
                try {
                    admin.createTopics(List.of(topic)).all().get();
                    created.add(topic.name());
                    log.info("created topic {} with {} partitions", topic.name(), topic.numPartitions());
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            Map<String, TopicDescription> described = describeOnceVisible(byName.keySet());
            awaitLeadersServing(created, described);
            for (TopicDescription description : described.values()) {
                int expected = byName.get(description.name()).partitions();
                int actual = description.partitions().size();
                if (actual != expected) {
                    throw new PartitionCountMismatchException(description.name(), expected, actual);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while provisioning topics", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot provision topics: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** A topic just created is not yet in every broker's metadata: describe until it is, for a bounded time. */
    private Map<String, TopicDescription> describeOnceVisible(Set<String> names)
            throws InterruptedException, ExecutionException {
        return retryWhile(UnknownTopicOrPartitionException.class, Duration.ofMillis(100),
                () -> admin.describeTopics(names).allTopicNames().get());
    }

    /**
     * A partition is in the metadata before its leader has opened it. An idempotent producer whose first
     * request meets that window gets NOT_LEADER_OR_FOLLOWER, and if a later request of it lands first, the
     * retried one spins on OUT_OF_ORDER_SEQUENCE until it expires (KAFKA-15591): records lost. So a topic we
     * just created is handed out only once its leaders answer a ListOffsets, which they serve only from an
     * opened partition.
     */
    private void awaitLeadersServing(List<String> created, Map<String, TopicDescription> described)
            throws InterruptedException, ExecutionException {
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (String name : created) {
            described.get(name).partitions()
                    .forEach(p -> partitions.put(new TopicPartition(name, p.partition()), OffsetSpec.latest()));
        }
        if (partitions.isEmpty()) {
            return;
        }
        retryWhile(RetriableException.class, Duration.ofMillis(50), () -> admin.listOffsets(partitions).all().get());
    }

    private interface AdminCall<T> {
        T call() throws InterruptedException, ExecutionException;
    }

    /** Repeats {@code call} while it fails with a {@code transientCause}, for at most {@link #SETTLE_TIMEOUT}. */
    private static <T> T retryWhile(Class<? extends Throwable> transientCause, Duration pause, AdminCall<T> call)
            throws InterruptedException, ExecutionException {
        long deadline = System.nanoTime() + SETTLE_TIMEOUT.toNanos();
        while (true) {
            try {
                return call.call();
            } catch (ExecutionException e) {
                if (!transientCause.isInstance(e.getCause()) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(pause.toMillis());
            }
        }
    }

    private NewTopic newTopic(Topic<?, ?> topic) {
        Map<String, String> config = new HashMap<>(topic.config());
        config.put(TopicConfig.RETENTION_MS_CONFIG,
                topic.retention() == null ? "-1" : Long.toString(topic.retention().toMillis()));
        return new NewTopic(topic.name(), topic.partitions(), replicationFactor).configs(config);
    }

    /** A deployment whose topics disagree with the catalogue: fatal, never repaired automatically. */
    public static final class PartitionCountMismatchException extends IllegalStateException {
        public PartitionCountMismatchException(String topic, int expected, int actual) {
            super("topic " + topic + " has " + actual + " partitions but the catalogue fixes " + expected
                    + "; changing a count is a migration to new topics (see docs/topics.md)");
        }
    }
}
