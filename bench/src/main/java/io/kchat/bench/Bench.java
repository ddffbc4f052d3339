package io.kchat.bench;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Load clients against a running stack (./chat-local, or a split deployment), over its public API only.
 * Usage: {@code java -jar bench/target/bench.jar replay --url http://127.0.0.1:8080 --messages 10000
 * [--report docs/bench/replay.txt]}. See docs/performance.md for what each mode measures and how to rerun it.
 */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: bench <mode> [--url URL] [--messages N] [--report FILE]; modes: replay");
        }
        Map<String, String> options = options(args);
        URI base = URI.create(options.getOrDefault("url", "http://127.0.0.1:8080"));
        Report report = new Report(options.containsKey("report") ? Path.of(options.get("report")) : null);
        switch (args[0]) {
            case "replay" -> new ReplayBench(new BenchApi(base), Integer.parseInt(options.getOrDefault("messages", "10000")))
                    .run(report);
            default -> throw new IllegalArgumentException("unknown mode " + args[0] + "; modes: replay");
        }
        report.finish();
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }
}
