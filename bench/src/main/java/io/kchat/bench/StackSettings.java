package io.kchat.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The stack settings a figure depends on, as the bench's environment has them: {@code bench/run} exports its
 * benchmark profile before starting both the stack and the bench, so what is printed is what the stack ran with.
 */
final class StackSettings {

    /** Name → the stack's default (README's configuration table), printed when the variable is not set. */
    private static final Map<String, String> DEFAULTS = new LinkedHashMap<>();

    static {
        DEFAULTS.put("BENCH_STACK", "unknown (not started by bench/run)");
        DEFAULTS.put("CHAT_JAVA_OPTS", "-Xms1g -Xmx1g");
        DEFAULTS.put("GATEWAY_JAVA_OPTS", "-");
        DEFAULTS.put("PROCESSOR_COMMIT_INTERVAL", "1s");
        DEFAULTS.put("PROCESSOR_FETCH_MAX_WAIT", "10ms");
        DEFAULTS.put("PROCESSOR_THREADS", "1");
        DEFAULTS.put("KAFKA_LINGER", "1ms");
        DEFAULTS.put("WS_ACK_COALESCE", "200ms");
        DEFAULTS.put("DELIVERED_RECEIPT_INTERVAL", "1s");
        DEFAULTS.put("WS_RATE_PER_CONNECTION", "20");
        DEFAULTS.put("WS_RATE_PER_CONNECTION_BURST", "120");
        DEFAULTS.put("WS_RATE_PER_USER", "50");
        DEFAULTS.put("WS_RATE_PER_USER_BURST", "150");
        DEFAULTS.put("AUTH_RATE_PER_IP", "1");
        DEFAULTS.put("AUTH_RATE_PER_IP_BURST", "60");
        DEFAULTS.put("OTP_SENDER", "log");
        DEFAULTS.put("OTP_MAX_REQUESTS_PER_IP_HOUR", "20");
        DEFAULTS.put("MAX_GROUP_SIZE", "1000");
        DEFAULTS.put("MAX_DEVICES_PER_USER", "10");
        DEFAULTS.put("WS_MAX_CONNECTIONS_PER_USER", "10");
        DEFAULTS.put("WS_OUTBOUND_QUEUE_FRAMES", "16384");
        DEFAULTS.put("WS_IDLE_TIMEOUT", "2m");
        DEFAULTS.put("USER_LOG_MAX_EVENTS", "10000");
        DEFAULTS.put("KAFKA_REPLICATION_FACTOR", "1");
        DEFAULTS.put("PUSH_GRACE", "3s");
        DEFAULTS.put("PUSH_CONCURRENCY", "16");
        DEFAULTS.put("PUSH_DEVICE_RATE", "30");
        DEFAULTS.put("PUSH_ALLOW_HTTP", "false");
        DEFAULTS.put("PUSH_ALLOW_PRIVATE_ENDPOINTS", "false");
        DEFAULTS.put("ASSISTANT_BASE_URL", "- (no assistant)");
        DEFAULTS.put("ASSISTANT_MODEL", "-");
        DEFAULTS.put("ASSISTANT_STREAM_INTERVAL", "100ms");
        DEFAULTS.put("ASSISTANT_CONTEXT_MESSAGES", "20");
        DEFAULTS.put("ASSISTANT_CONCURRENCY", "16");
        DEFAULTS.put("ASSISTANT_USER_CONCURRENCY", "2");
        DEFAULTS.put("ASSISTANT_USER_RATE", "20");
    }

    private StackSettings() {
    }

    static List<String> lines(Map<String, String> env) {
        List<String> lines = new ArrayList<>();
        lines.add("settings (environment of the stack; '(default)' = not set):");
        DEFAULTS.forEach((name, fallback) -> lines.add("  " + name + "=" + (env.containsKey(name)
                ? env.get(name) : fallback + " (default)")));
        return lines;
    }
}
