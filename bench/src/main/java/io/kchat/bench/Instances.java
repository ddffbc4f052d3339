package io.kchat.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What each instance of a scaled-out stack carried in one measured window: the CPU of each stack process (by the
 * role {@code --stack-pids} gives it), each gateway's sockets and the deliveries that reached them, and how the
 * consumer groups had their partitions spread at the end of the window. Reported when there is more than one of
 * something (a split deployment, several gateways); a single {@code ./chat-local} JVM on one URL prints nothing more.
 *
 * @param window     between the two snapshots the CPU was read at
 * @param deliveries deliveries that arrived in the window, as the result counts them
 * @param processes  CPU spent by each stack process in the window, in {@code --stack-pids} order
 * @param groups     the stack's consumer groups as described at the end of the window
 * @param gateways   in {@code --url} order
 */
record Instances(Duration window, long deliveries, List<ProcessCpu> processes, List<GroupSpread> groups,
                 List<GatewayLoad> gateways) {

    /** CPU time of one process: cumulative in a snapshot, the difference in a window. */
    record ProcessCpu(StackPid process, Duration cpu) {
    }

    /**
     * @param sockets    sockets of the fleet placed on this gateway
     * @param open       of them, still open after the run
     * @param deliveries deliveries received on them inside the window
     */
    record GatewayLoad(URI base, int sockets, long open, long deliveries) {
    }

    Instances {
        processes = List.copyOf(processes);
        groups = List.copyOf(groups);
        gateways = List.copyOf(gateways);
    }

    /**
     * Each process's CPU in the window: {@code after} minus {@code before}, matched by pid; a process missing from
     * {@code before} is left out (it was not there for the whole window).
     */
    static List<ProcessCpu> cpuBetween(List<ProcessCpu> before, List<ProcessCpu> after) {
        Map<Long, Duration> start = before.stream()
                .collect(Collectors.toMap(p -> p.process().pid(), ProcessCpu::cpu, (a, b) -> a));
        return after.stream().filter(p -> start.containsKey(p.process().pid()))
                .map(p -> new ProcessCpu(p.process(), p.cpu().minus(start.get(p.process().pid())))).toList();
    }

    /** Only a stack of several processes or several gateways has instances worth a block of their own. */
    boolean worthReporting() {
        return processes.size() > 1 || gateways.size() > 1;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>();
        double seconds = window.toNanos() / 1e9;
        lines.add(String.format(Locale.ROOT, "  instances (what each carried in the %.1f s window):", seconds));
        Duration total = processes.stream().map(ProcessCpu::cpu).reduce(Duration.ZERO, Duration::plus);
        int width = width(processes, p -> p.process().label());
        for (ProcessCpu p : processes) {
            lines.add(String.format(Locale.ROOT, "    %-" + width + "s  CPU %.1f s = %.2f cores, %4.1f %% of the "
                            + "stack's, %.3f ms per delivered message", p.process().label(), p.cpu().toMillis() / 1000.0,
                    seconds <= 0 ? Double.NaN : p.cpu().toNanos() / 1e9 / seconds, percent(p.cpu().toNanos(),
                            total.toNanos()), deliveries == 0 ? Double.NaN : p.cpu().toNanos() / 1e6 / deliveries));
        }
        long sockets = gateways.stream().mapToLong(GatewayLoad::sockets).sum();
        int urlWidth = width(gateways, g -> g.base().toString());
        for (GatewayLoad g : gateways) {
            lines.add(String.format(Locale.ROOT, "    gateway %-" + urlWidth + "s  %,d sockets (%.1f %%), %,d open "
                            + "after the run; %,d deliveries received in the window (%.1f %%)", g.base(), g.sockets(),
                    percent(g.sockets(), sockets), g.open(), g.deliveries(), percent(g.deliveries(), deliveries)));
        }
        if (!groups.isEmpty()) {
            lines.add("    partitions at the end of the window, per member of each consumer group:");
            groups.forEach(g -> lines.addAll(g.lines("      ")));
        }
        return lines;
    }

    private static double percent(long part, long whole) {
        return whole == 0 ? Double.NaN : 100.0 * part / whole;
    }

    private static <T> int width(List<T> items, Function<T, String> text) {
        return Math.max(1, items.stream().mapToInt(i -> text.apply(i).length()).max().orElse(1));
    }
}
