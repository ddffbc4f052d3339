package io.kchat.examples.analytics;

import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the example, every default in one place. Environment variables: KAFKA_BOOTSTRAP_SERVERS
 * (127.0.0.1:19092, the broker of ./chat-local), CHAT_TOPIC_PREFIX (empty), APPLICATION_ID
 * ({@code <prefix>kchat-analytics-example}: the consumer group, and the prefix of the example's own topics),
 * WINDOW (PT1M), GRACE (PT10S), STATE_DIR (the temporary directory's {@code kchat-analytics}). Durations are
 * ISO-8601 ({@code PT1M}, {@code PT10S}).
 *
 * @param grace how long after its end a window still takes messages stamped inside it: messages of one
 *              conversation are stamped by whichever gateway took them, so their stamps are not quite in order
 */
public record AnalyticsConfig(String bootstrapServers, String topicPrefix, String applicationId, Duration window,
                              Duration grace, Path stateDir) {

    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(1);
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(10);

    public AnalyticsConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        Objects.requireNonNull(topicPrefix, "topicPrefix");
        Objects.requireNonNull(applicationId, "applicationId");
        Objects.requireNonNull(stateDir, "stateDir");
        if (window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("WINDOW must be positive, not " + window);
        }
        if (grace.isNegative()) {
            throw new IllegalArgumentException("GRACE must not be negative, not " + grace);
        }
    }

    public static AnalyticsConfig fromEnv(Map<String, String> env) {
        String prefix = env.getOrDefault("CHAT_TOPIC_PREFIX", "");
        return new AnalyticsConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:19092"),
                prefix,
                env.getOrDefault("APPLICATION_ID", prefix + "kchat-analytics-example"),
                duration(env, "WINDOW", DEFAULT_WINDOW),
                duration(env, "GRACE", DEFAULT_GRACE),
                Path.of(env.getOrDefault("STATE_DIR", Path.of(System.getProperty("java.io.tmpdir"), "kchat-analytics").toString())));
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.parse(value.trim());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an ISO-8601 duration such as PT1M, not '" + value + "'", e);
        }
    }
}
