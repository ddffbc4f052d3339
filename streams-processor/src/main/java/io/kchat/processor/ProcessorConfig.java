package io.kchat.processor;

import io.kchat.processor.conversation.ConversationTopology;
import io.kchat.processor.user.UserLogTopology;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Settings of the streams-processor, with every default in one place. Environment variables:
 * KAFKA_BOOTSTRAP_SERVERS, CHAT_TOPIC_PREFIX, CHAT_STATE_DIR, PROCESSOR_THREADS,
 * KAFKA_REPLICATION_FACTOR, PROCESSOR_COMMIT_INTERVAL_MS, DEDUPE_WINDOW_HOURS, USER_LOG_MAX_EVENTS,
 * USER_LOG_MAX_AGE_DAYS, and for CDC: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, CDC_ENABLED,
 * CDC_SLOT_NAME, OUTBOX_RETENTION_MINUTES.
 */
public record ProcessorConfig(
        String bootstrapServers,
        String topicPrefix,
        Path stateDir,
        int threads,
        short replicationFactor,
        Duration commitInterval,
        Duration dedupeWindow,
        int maxEventsPerUser,
        Duration maxUserLogAge,
        CdcConfig cdc) {

    /**
     * Debezium embedded engine settings (D8): the slot and publication are exclusive to one active engine.
     * Outbox rows stay at least {@code outboxRetention} after they were written, and are deleted only
     * once relayed.
     */
    public record CdcConfig(boolean enabled, String jdbcUrl, String user, String password, String slotName,
                            Duration outboxRetention) {
    }

    public static final Duration DEFAULT_OUTBOX_RETENTION = Duration.ofMinutes(60);

    public static ProcessorConfig fromEnv(Map<String, String> env) {
        String prefix = env.getOrDefault("CHAT_TOPIC_PREFIX", "");
        return new ProcessorConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                prefix,
                Path.of(env.getOrDefault("CHAT_STATE_DIR", "./data/streams")),
                Integer.parseInt(env.getOrDefault("PROCESSOR_THREADS", "1")),
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1")),
                Duration.ofMillis(Long.parseLong(env.getOrDefault("PROCESSOR_COMMIT_INTERVAL_MS", "100"))),
                Duration.ofHours(Long.parseLong(env.getOrDefault("DEDUPE_WINDOW_HOURS",
                        Long.toString(ConversationTopology.DEFAULT_DEDUPE_WINDOW.toHours())))),
                Integer.parseInt(env.getOrDefault("USER_LOG_MAX_EVENTS",
                        Integer.toString(UserLogTopology.DEFAULT_MAX_EVENTS_PER_USER))),
                Duration.ofDays(Long.parseLong(env.getOrDefault("USER_LOG_MAX_AGE_DAYS",
                        Long.toString(UserLogTopology.DEFAULT_MAX_EVENT_AGE.toDays())))),
                new CdcConfig(
                        Boolean.parseBoolean(env.getOrDefault("CDC_ENABLED", "true")) && env.get("DATABASE_URL") != null,
                        env.get("DATABASE_URL"),
                        env.getOrDefault("DATABASE_USER", "postgres"),
                        env.getOrDefault("DATABASE_PASSWORD", ""),
                        env.getOrDefault("CDC_SLOT_NAME", (prefix + "kchat_outbox").replaceAll("[^a-z0-9_]", "_")),
                        Duration.ofMinutes(Long.parseLong(env.getOrDefault("OUTBOX_RETENTION_MINUTES",
                                Long.toString(DEFAULT_OUTBOX_RETENTION.toMinutes()))))));
    }

    public String applicationId() {
        return topicPrefix + "kchat-processor";
    }
}
