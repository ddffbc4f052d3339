package io.kchat.bench;

import java.nio.file.Path;
import java.util.Set;

/**
 * Load clients against a running stack (./chat-local, or a split deployment), over its public API only; the
 * {@code floor} runs on the stack's broker. {@code bench/run <mode>} starts a fresh stack and runs one of these:
 * <ul>
 *   <li>{@code latency}: the Kafka floor, then the same open-loop load through the stack, and the ratio
 *   <li>{@code floor}: the Kafka floor alone
 *   <li>{@code throughput}: a sweep of rates; the highest with p99 within 100 ms and nothing lost
 *   <li>{@code connections}: N idle authenticated sockets; the gateway's heap and RSS per connection
 *   <li>{@code fanout}: one message to groups of 10, 100, 1,000; time to the last member
 *   <li>{@code replay}: a reconnecting device's offline queue
 *   <li>{@code search}: message search over an archive written into the stack's PostgreSQL; latency per query shape
 *   <li>{@code media}: upload and download throughput of one file; the gateway's heap during concurrent uploads
 *   <li>{@code push}: latency from a message to its Web Push at a local push service, for devices that are away
 *   <li>{@code assistant}: the assistant's overhead, from a question to the first part of its answer and to the
 *   answer, with a local model that answers at once
 * </ul>
 * Options are {@code --name value}; see each mode's class and docs/performance.md.
 */
public final class Bench {

    private static final String MODES = "latency, floor, throughput, connections, fanout, replay, search, media, push,"
            + " assistant";

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Report report = new Report(options.has("report") ? Path.of(options.text("report", "")) : null);
        switch (options.mode()) {
            case "latency" -> {
                options.requireKnown(LatencyBench.OPTIONS);
                LatencyBench.run(options, report, true);
            }
            case "floor" -> {
                options.requireKnown(LatencyBench.OPTIONS);
                LatencyBench.run(options, report, false);
            }
            case "throughput" -> {
                options.requireKnown(ThroughputBench.OPTIONS);
                ThroughputBench.run(options, report);
            }
            case "connections" -> {
                options.requireKnown(ConnectionsBench.OPTIONS);
                ConnectionsBench.run(options, report);
            }
            case "fanout" -> {
                options.requireKnown(FanOutBench.OPTIONS);
                FanOutBench.run(options, report);
            }
            case "replay" -> {
                options.requireKnown(Set.of("url", "sms-port", "kafka", "report", "messages"));
                // one device replays: its sockets (and the sender's) use the first gateway of --url
                new ReplayBench(new BenchApi(Gateways.from(options)), options.integer("messages", 10000)).run(report);
            }
            case "search" -> {
                options.requireKnown(SearchBench.OPTIONS);
                SearchBench.run(options, report);
            }
            case "media" -> {
                options.requireKnown(MediaBench.OPTIONS);
                MediaBench.run(options, report);
            }
            case "push" -> {
                options.requireKnown(PushBench.OPTIONS);
                PushBench.run(options, report);
            }
            case "assistant" -> {
                options.requireKnown(AssistantBench.OPTIONS);
                AssistantBench.run(options, report);
            }
            default -> throw new IllegalArgumentException("unknown mode " + options.mode() + "; modes: " + MODES);
        }
        report.finish();
    }
}
