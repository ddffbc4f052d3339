package io.kchat.bench;

import java.time.Duration;
import java.util.Arrays;
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
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads what a running stack has spent so far: the end offset of every topic of the cluster (internal ones aside)
 * and the CPU time of the stack's processes, as the kernel counts it ({@link ProcessHandle.Info#totalCpuDuration},
 * from /proc on Linux). Two snapshots around a measured window make a {@link WindowCost}.
 */
final class StackProbe implements AutoCloseable {

    private static final long TIMEOUT_SECONDS = 30;

    /** What was spent up to {@code nanos} ({@link System#nanoTime}). */
    record Snapshot(long nanos, Map<String, Long> endOffsets, Optional<Duration> jvmCpu,
                    Optional<Duration> childCpu) {
    }

    private final Admin admin;
    private final List<Long> stackPids;

    /** {@code --kafka} and {@code --stack-pids} (comma-separated: the stack's JVMs, which bench/run started). */
    static StackProbe open(Options options) {
        String pids = options.text("stack-pids", "");
        List<Long> stackPids = pids.isBlank() ? List.of()
                : Arrays.stream(pids.split(",")).map(String::strip).map(Long::parseLong).toList();
        return new StackProbe(options.required("kafka"), stackPids);
    }

    StackProbe(String bootstrapServers, List<Long> stackPids) {
        this.admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, "kchat-bench-probe"));
        this.stackPids = List.copyOf(stackPids);
    }

    /** A snapshot taken at {@code nanos} ({@link System#nanoTime}), on a thread of its own. */
    CompletableFuture<Snapshot> takeAt(long nanos) {
        CompletableFuture<Snapshot> snapshot = new CompletableFuture<>();
        Thread.ofVirtual().name("stack-probe").start(() -> {
            try {
                long wait = nanos - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                snapshot.complete(take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                snapshot.completeExceptionally(e);
            } catch (RuntimeException e) {
                snapshot.completeExceptionally(e);
            }
        });
        return snapshot;
    }

    Snapshot take() throws InterruptedException {
        long nanos = System.nanoTime();
        if (stackPids.isEmpty()) {
            return new Snapshot(nanos, endOffsets(), Optional.empty(), Optional.empty());
        }
        List<ProcessHandle> jvms = stackPids.stream().map(pid -> ProcessHandle.of(pid)
                .orElseThrow(() -> new IllegalStateException("stack process " + pid + " is gone"))).toList();
        // the embedded PostgreSQL detaches (pg_ctl), so it is usually no descendant: then there is nothing to count
        List<ProcessHandle> children = jvms.stream().flatMap(ProcessHandle::descendants).toList();
        return new Snapshot(nanos, endOffsets(), Optional.of(cpu(jvms)),
                children.isEmpty() ? Optional.empty() : Optional.of(cpu(children)));
    }

    private static Duration cpu(List<ProcessHandle> processes) {
        return processes.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
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
