package io.kchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a running stack has spent so far: the end offset of every topic of the cluster (internal ones aside)
 * and the CPU time of the stack's processes, as the kernel counts it ({@link ProcessHandle.Info#totalCpuDuration},
 * from /proc on Linux), in total and per process. Two snapshots around a measured window make a {@link WindowCost}
 * and the CPU part of {@link Instances}; the one at the end of the window also describes the stack's consumer
 * groups ({@link GroupSpread}).
 */
final class StackProbe implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    /**
     * What was spent up to {@code nanos} ({@link System#nanoTime}).
     *
     * @param processCpu each stack process's CPU so far, in {@code --stack-pids} order; empty when not measured
     * @param groups     the stack's consumer groups, when this snapshot described them
     */
    record Snapshot(long nanos, Map<String, Long> endOffsets, Optional<Duration> jvmCpu,
                    Optional<Duration> childCpu, List<Instances.ProcessCpu> processCpu, List<GroupSpread> groups) {

        Snapshot(long nanos, Map<String, Long> endOffsets, Optional<Duration> jvmCpu, Optional<Duration> childCpu) {
            this(nanos, endOffsets, jvmCpu, childCpu, List.of(), List.of());
        }
    }

    private final Admin admin;
    private final List<StackPid> stackPids;
    private final String topicPrefix;

    /**
     * {@code --kafka} and {@code --stack-pids} (comma-separated {@code name=pid} or bare pids: the stack's JVMs,
     * which bench/run started); the groups' prefix is the stack's {@code CHAT_TOPIC_PREFIX}, which bench/run
     * exports to both.
     */
    static StackProbe open(Options options) {
        return new StackProbe(options.required("kafka"), StackPid.parseList(options.text("stack-pids", "")),
                System.getenv().getOrDefault("CHAT_TOPIC_PREFIX", ""));
    }

    StackProbe(String bootstrapServers, List<StackPid> stackPids, String topicPrefix) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kchat-bench-probe"));
        this.stackPids = List.copyOf(stackPids);
        this.topicPrefix = topicPrefix;
    }

    /** A snapshot taken at {@code nanos} ({@link System#nanoTime}), on a thread of its own. */
    CompletableFuture<Snapshot> takeAt(long nanos) {
        return takeAt(nanos, false);
    }

    /** The same, describing the stack's consumer groups too when {@code withGroups}. */
    CompletableFuture<Snapshot> takeAt(long nanos, boolean withGroups) {
        CompletableFuture<Snapshot> snapshot = new CompletableFuture<>();
        Thread.ofVirtual().name("stack-probe").start(() -> {
            try {
                long wait = nanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                snapshot.complete(take(withGroups));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                snapshot.completeExceptionally(e);
            } catch (RuntimeException e) {
                snapshot.completeExceptionally(e);
            }
        });
        return snapshot;
    }

    Snapshot take(boolean withGroups) throws InterruptedException {
        long nanos = System.nanoTime();
        if (stackPids.isEmpty()) {
            Map<String, Long> ends = endOffsets();
            return new Snapshot(nanos, ends, Optional.empty(), Optional.empty(), List.of(),
                    withGroups ? groups() : List.of());
        }
        List<ProcessHandle> jvms = stackPids.stream().map(p -> ProcessHandle.of(p.pid())
                .orElseThrow(() -> new IllegalStateException("stack process " + p.label() + " is gone"))).toList();
        // the offsets first, then the CPU: the order the figures have always been read in
        Map<String, Long> ends = endOffsets();
        // each process's CPU read once: the total is their sum, so the per-process figures add up to it
        List<Instances.ProcessCpu> perProcess = new ArrayList<>();
        for (int i = 0; i < jvms.size(); i++) {
            perProcess.add(new Instances.ProcessCpu(stackPids.get(i), cpu(List.of(jvms.get(i)))));
        }
        Duration total = perProcess.stream().map(Instances.ProcessCpu::cpu).reduce(Duration.ZERO, Duration::plus);
        // the embedded PostgreSQL detaches (pg_ctl), so it is usually no descendant: then there is nothing to count
        List<ProcessHandle> children = jvms.stream().flatMap(ProcessHandle::descendants).toList();
        Optional<Duration> childCpu = children.isEmpty() ? Optional.empty() : Optional.of(cpu(children));
        return new Snapshot(nanos, ends, Optional.of(total), childCpu, List.copyOf(perProcess),
                withGroups ? groups() : List.of());
    }

    private static Duration cpu(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * The stack's consumer groups as the broker has them now; a group that cannot be described (none of that name:
     * the stack runs no such loop) is reported as such rather than failing the run.
     */
    private List<GroupSpread> groups() throws InterruptedException {
        List<String> ids = GroupSpread.groupIds(topicPrefix);
        Map<String, KafkaFuture<ConsumerGroupDescription>> described;
        try {
            described = admin.describeConsumerGroups(ids).describedGroups();
        } catch (RuntimeException e) {
            return ids.stream().map(id -> GroupSpread.unreadable(id, String.valueOf(e))).toList();
        }
        List<GroupSpread> groups = new ArrayList<>();
        for (String id : ids) {
            try {
                groups.add(GroupSpread.of(described.get(id).get(TIMEOUT_SECONDS, TimeUnit.SECONDS)));
            } catch (ExecutionException e) {
                groups.add(GroupSpread.unreadable(id, String.valueOf(e.getCause())));
            } catch (TimeoutException e) {
                groups.add(GroupSpread.unreadable(id, "no answer in " + TIMEOUT_SECONDS + " s"));
            }
        }
        return List.copyOf(groups);
    }

    private Map<String, Long> endOffsets() throws InterruptedException {
        try {
            var names = admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames()
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            Map<TopicPartition, OffsetSpec> request = new HashMap<>();
            topics.values().forEach(topic -> topic.partitions().forEach(p ->
                    request.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest())));
            Map<String, Long> ends = new HashMap<>();
            admin.listOffsets(request).all().get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                    .forEach((partition, info) -> ends.merge(partition.topic(), info.offset(), Long::sum));
            return ends;
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read the topics' end offsets", e);
        }
    }

    @Override
    public void close() {
        admin.close();
    }
}
