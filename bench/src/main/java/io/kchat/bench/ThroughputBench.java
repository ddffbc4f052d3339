package io.kchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Mode {@code throughput}: the same users run at each rate of {@code --rates} in turn (a sweep); the answer is the
 * highest rate with p99 within {@code --p99-limit} (100 ms) and nothing lost, duplicated or reordered. The sweep
 * stops at the first rate that fails, unless {@code --keep-going true}.
 */
final class ThroughputBench {

    static final Set<String> OPTIONS = options();
    private static final List<Integer> DEFAULT_RATES = List.of(1000, 2000, 4000, 6000, 8000, 10000, 12000);

    private ThroughputBench() {
    }

    static void run(Options options, Report report) throws Exception {
        LoadOptions load = LoadOptions.from(options, Duration.ofSeconds(10), Duration.ofSeconds(30));
        List<Integer> rates = options.integers("rates", options.has("rate")
                ? List.of((int) load.rate()) : DEFAULT_RATES);
        Duration p99Limit = options.duration("p99-limit", Duration.ofMillis(100));
        boolean keepGoing = Boolean.parseBoolean(options.text("keep-going", "false"));
        Duration jitWarmup = options.duration("jit-warmup", LatencyBench.LATENCY_WARMUP);
        report.line("mode: throughput (sweep over " + rates + " msgs/s; pass: p99 <= " + p99Limit.toMillis()
                + " ms and nothing lost, duplicated or reordered)");
        report.line("workload: " + load.describe().replaceFirst("at [0-9,]+ msgs/s in total \\([0-9.]+ per user\\)",
                "at each rate of the sweep"));
        List<String> table = new ArrayList<>();
        table.add("| offered msgs/s | delivered msgs/s | p50 ms | p99 ms | p99.9 ms | lost | dup | out of order "
                + "| records/msg | CPU ms/msg | pass |");
        LoadResult best = null;
        try (BenchContext context = BenchContext.open(options, report, SourceAddresses.forSockets(load.users()));
             ChatLoad stack = ChatLoad.open(context, load.users(), load.groupSize(), load.ackInterval(),
                     load.bodyChars(), load.concurrency());
             StackProbe probe = StackProbe.open(options)) {
            if (!jitWarmup.isZero()) {
                // the first rate would otherwise be measured while the stack's JIT still competes for the cores
                LoadResult warmup = stack.run("jit-warmup", rates.getFirst(), Duration.ZERO, jitWarmup, load.drain());
                report.line(String.format(Locale.ROOT, "JIT warm-up: %d s at %,d msgs/s before the sweep, not counted "
                        + "(lost %,d)", jitWarmup.toSeconds(), rates.getFirst(), warmup.lost()));
            }
            for (int rate : rates) {
                LoadResult result = stack.run("stack", rate, load.warmup(), load.measured(), load.drain(),
                        Optional.of(probe));
                result.lines().forEach(report::line);
                boolean pass = result.clean() && result.latency().p99() <= p99Limit.toNanos() / 1000;
                WindowCost cost = result.cost().orElseThrow();
                table.add(String.format(Locale.ROOT,
                        "| %,d | %,.0f | %s | %s | %s | %,d | %,d | %,d | %.1f | %.3f | %s |", rate, result.deliveredPerSecond(), LatencySummary.ms(result.latency().p50()),
                        LatencySummary.ms(result.latency().p99()), LatencySummary.ms(result.latency().p999()),
                        result.lost(), result.duplicated(), result.outOfOrder(), cost.recordsPerDelivery(),
                        cost.jvmCpuMillisPerDelivery(), pass ? "yes" : "no"));
                if (pass) {
                    best = result;
                } else if (!keepGoing) {
                    break;
                }
            }
        }
        table.forEach(report::line);
        report.line(best == null ? "sustained: no rate of the sweep passed"
                : String.format(Locale.ROOT, "sustained: %,.0f msgs/s offered, %,.0f delivered msgs/s (p99 %s ms)",
                        best.rate(), best.deliveredPerSecond(), LatencySummary.ms(best.latency().p99())));
    }

    private static Set<String> options() {
        Set<String> names = new HashSet<>(LoadOptions.NAMES);
        names.addAll(Set.of("url", "sms-port", "client-threads", "report", "kafka", "rates", "p99-limit", "keep-going",
                "jit-warmup", "stack-pids"));
        return Set.copyOf(names);
    }
}
