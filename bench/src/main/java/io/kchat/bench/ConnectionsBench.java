package io.kchat.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Mode {@code connections}: N idle authenticated sockets on one gateway, and what they cost it in heap (after a full
 * GC) and resident memory, per connection. Meant for a gateway in its own JVM ({@code bench/run connections} starts
 * the split deployment with the gateway at {@code -Xmx512m}) whose pid is {@code --gateway-pid}.
 *
 * <p>Each socket is a new account with one device, signed in by phone code through the bench's SMS inbox (no Argon2
 * hash per sign-in), from source addresses 127.0.0.1..K so that loopback's port range is not the limit.
 */
final class ConnectionsBench {

    static final Set<String> OPTIONS = Set.of("url", "sms-port", "kafka", "client-threads", "report", "connections", "sources",
            "hold", "concurrency", "gateway-pid");
    private static final int TARGET_CONNECTIONS = 20_000;
    private static final long TARGET_HEAP_BYTES = 512L << 20;
    private static final int LARGEST_CLASSES = 15;
    /** Access tokens live 15 min by default; a socket whose token expires is closed with 4001. */
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(15);

    private ConnectionsBench() {
    }

    static void run(Options options, Report report) throws Exception {
        int count = options.integer("connections", TARGET_CONNECTIONS);
        SourceAddresses sources = new SourceAddresses(options.integer("sources",
                SourceAddresses.forSockets(count).count()));
        Duration hold = options.duration("hold", Duration.ofSeconds(30));
        ProcessMemory gateway = options.has("gateway-pid")
                ? new ProcessMemory(Long.parseLong(options.text("gateway-pid", ""))) : null;
        report.line("mode: connections");
        report.line(String.format(Locale.ROOT, "workload: %,d idle sockets, each a new account with one device signed "
                + "in by phone code (OTP via the bench's SMS webhook, no Argon2) and synced, from %d source address(es) "
                + "127.0.0.1..%d; no frames sent after sync (server pings answered); held %d s", count, sources.count(),
                sources.count(), hold.toSeconds()));
        ProcessMemory.Sample before = gateway == null ? null : gateway.afterFullGc();
        try (BenchContext context = BenchContext.open(options, report, sources);
             SocketFleet fleet = SocketFleet.connect(context, count, options.integer("concurrency", 32), Duration.ZERO)) {
            report.line(String.format(Locale.ROOT, "ramp: %,d sockets signed in and synced in %.1f s (%.0f/s)", count,
                    fleet.rampTime().toMillis() / 1000.0, count / (fleet.rampTime().toMillis() / 1000.0)));
            if (fleet.rampTime().plus(hold).compareTo(TOKEN_LIFETIME.minusMinutes(1)) > 0) {
                report.line("WARNING: ramp plus hold is close to the access-token lifetime (15 min): the first sockets "
                        + "may be closed with 4001 (token expired) before the measurement; lower --hold");
            }
            // idle sockets held for a while are the workload: let time pass (server pings, heartbeats)
            Thread.sleep(hold);
            ProcessMemory.Sample after = gateway == null ? null : gateway.afterFullGc();
            long open = fleet.open();
            report.line(String.format(Locale.ROOT, "held: %,d of %,d sockets still open after %d s; closed by code: %s; "
                    + "gateway counts %s", open, count, hold.toSeconds(), fleet.closed(),
                    context.api().onlineStats(fleet.sockets().getFirst().account())));
            if (gateway == null) {
                report.line("memory: not measured (no --gateway-pid)");
                return;
            }
            memory(report, before, after, count);
            report.line("gateway's largest classes with the sockets open (jcmd GC.class_histogram):");
            gateway.largestClasses(LARGEST_CLASSES).forEach(l -> report.line("  " + l.strip()));
            boolean met = count >= TARGET_CONNECTIONS && open == count && after.heapReservedBytes() > 0
                    && after.heapReservedBytes() <= TARGET_HEAP_BYTES;
            report.line("target (20,000 idle authenticated sockets on one gateway within a 512 MB heap): "
                    + (met ? "MET" : "NOT MET"));
        }
    }

    private static void memory(Report report, ProcessMemory.Sample before, ProcessMemory.Sample after, int count) {
        report.line(String.format(Locale.ROOT, "gateway heap after full GC: %s before, %s with the sockets (heap "
                        + "reserved %s); %.1f KiB per connection", mib(before.heapUsedBytes()), mib(after.heapUsedBytes()),
                mib(after.heapReservedBytes()), (after.heapUsedBytes() - before.heapUsedBytes()) / 1024.0 / count));
        report.line(String.format(Locale.ROOT, "gateway RSS: %s before, %s with the sockets; %.1f KiB per connection",
                mib(before.rssBytes()), mib(after.rssBytes()), (after.rssBytes() - before.rssBytes()) / 1024.0 / count));
    }

    private static String mib(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1024.0 / 1024.0);
    }
}
