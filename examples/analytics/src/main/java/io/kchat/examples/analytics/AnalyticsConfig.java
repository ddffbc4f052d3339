package io.kchat.examples.analytics;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;

/**
 * Settings of the example, every default in one place. Environment variables: KAFKA_BOOTSTRAP_SERVERS
 * (127.0.0.1:19092, the broker of ./chat-local), CHAT_TOPIC_PREFIX (empty), APPLICATION_ID
 * ({@code <prefix>kchat-analytics-example}: the consumer group, and the prefix of the example's own topics),
 * WINDOW (1m), GRACE (10s), STATE_DIR (the temporary directory's {@code kchat-analytics}). Durations are written
 * as the services write theirs ({@code 1m}, {@code 10s}); ISO-8601 ({@code PT1M}) is still read, with a warning.
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

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.text("KAFKA_BOOTSTRAP_SERVERS",
            "127.0.0.1:19092", "Kafka brokers; the default is the broker of ./chat-local");
    public static final Setting<String> APPLICATION_ID = Setting.computedText("APPLICATION_ID",
            "<prefix>kchat-analytics-example", "the consumer group, and the prefix of the example's own topics");
    public static final Setting<Duration> WINDOW = Setting.duration("WINDOW", DEFAULT_WINDOW, "window size");
    public static final Setting<Duration> GRACE = Setting.duration("GRACE", DEFAULT_GRACE,
            "how long after its end a window still takes messages stamped inside it");
    public static final Setting<Path> STATE_DIR = Setting.path("STATE_DIR",
            Path.of(System.getProperty("java.io.tmpdir"), "kchat-analytics").toString(), "state stores");

    public static AnalyticsConfig fromEnv(Map<String, String> env) {
        Settings settings = Settings.of(env);
        String prefix = settings.get(SharedSettings.CHAT_TOPIC_PREFIX);
        return new AnalyticsConfig(
                settings.get(KAFKA_BOOTSTRAP_SERVERS),
                prefix,
                settings.find(APPLICATION_ID).orElse(prefix + "kchat-analytics-example"),
                settings.get(WINDOW),
                settings.get(GRACE),
                settings.get(STATE_DIR));
    }
}
