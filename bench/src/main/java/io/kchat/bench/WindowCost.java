package io.kchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the stack spent on the messages delivered in one measured window: the Kafka records written (end-offset
 * deltas of every topic, changelogs, side outputs and transaction markers included) and the CPU time of the stack's
 * JVMs and of their child processes (the embedded PostgreSQL), each per delivered message. Per delivery rather than
 * per send, so that a group's fan-out counts as the work it is.
 *
 * @param recordsByTopic records written to each topic during the window
 * @param jvmCpu         CPU time of the stack's JVMs during the window; empty when not measured
 * @param childCpu       CPU time of their child processes during the window; empty when not measured
 * @param deliveries     deliveries that arrived during the window
 */
record WindowCost(Map<String, Long> recordsByTopic, Optional<Duration> jvmCpu, Optional<Duration> childCpu,
                  long deliveries) {

    /** Topics listed by name in the report; the rest are summed as "others". */
    private static final int LISTED_TOPICS = 8;

    WindowCost {
        recordsByTopic = Map.copyOf(recordsByTopic);
    }

    static WindowCost between(StackProbe.Snapshot before, StackProbe.Snapshot after, long deliveries) {
        Map<String, Long> records = new TreeMap<>();
        after.endOffsets().forEach((topic, end) -> {
            long delta = end - before.endOffsets().getOrDefault(topic, 0L);
            if (delta > 0) {
                records.put(topic, delta);
            }
        });
        return new WindowCost(records, difference(before.jvmCpu(), after.jvmCpu()),
                difference(before.childCpu(), after.childCpu()), deliveries);
    }

    private static Optional<Duration> difference(Optional<Duration> before, Optional<Duration> after) {
        return before.flatMap(b -> after.map(a -> a.minus(b)));
    }

    long records() {
        return recordsByTopic.values().stream().mapToLong(Long::longValue).sum();
    }

    double recordsPerDelivery() {
        return deliveries == 0 ? Double.NaN : (double) records() / deliveries;
    }

    /** Milliseconds of CPU per delivery in the stack's JVMs; NaN when not measured. */
    double jvmCpuMillisPerDelivery() {
        return perDelivery(jvmCpu);
    }

    double childCpuMillisPerDelivery() {
        return perDelivery(childCpu);
    }

    private double perDelivery(Optional<Duration> cpu) {
        return cpu.filter(c -> deliveries > 0).map(c -> c.toNanos() / 1e6 / deliveries).orElse(Double.NaN);
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "  cost: %,d deliveries in the window; %.1f Kafka records per delivered "
                + "message (%,d records)", deliveries, recordsPerDelivery(), records()));
        List<Map.Entry<String, Long>> byCount = recordsByTopic.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder())).toList();
        StringBuilder topics = new StringBuilder("    per delivery by topic:");
        byCount.stream().limit(LISTED_TOPICS).forEach(e -> topics.append(String.format(Locale.ROOT, " %s %.2f;",
                e.getKey(), deliveries == 0 ? Double.NaN : (double) e.getValue() / deliveries)));
        long others = byCount.stream().skip(LISTED_TOPICS).mapToLong(Map.Entry::getValue).sum();
        if (others > 0) {
            topics.append(String.format(Locale.ROOT, " %d others %.2f", byCount.size() - LISTED_TOPICS,
                    (double) others / deliveries));
        }
        lines.add(topics.toString());
        lines.add(jvmCpu.isEmpty() ? "    CPU: not measured (no --stack-pids)"
                : String.format(Locale.ROOT, "    CPU per delivered message: %.3f ms in the stack's JVMs (%.1f s in "
                        + "the window); %s", jvmCpuMillisPerDelivery(), jvmCpu.get().toMillis() / 1000.0,
                        childCpu.isEmpty() ? "no child process counted (the embedded PostgreSQL runs detached)"
                                : String.format(Locale.ROOT, "%.3f ms in their child processes",
                                        childCpuMillisPerDelivery())));
        return lines;
    }
}
