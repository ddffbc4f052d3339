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
 * and for CDC: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD, CDC_ENABLED.
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
        CdcConfig cdc) {

    /** Debezium embedded engine settings (D8): the slot and publication are exclusive to one active engine. */
    public record CdcConfig(boolean enabled, String jdbcUrl, String user, String password, String slotName) {
    }

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
                new CdcConfig(
                        Boolean.parseBoolean(env.getOrDefault("CDC_ENABLED", "true")) && env.get("DATABASE_URL") != null,
                        env.get("DATABASE_URL"),
                        env.getOrDefault("DATABASE_USER", "postgres"),
                        env.getOrDefault("DATABASE_PASSWORD", ""),
                        env.getOrDefault("CDC_SLOT_NAME", (prefix + "kchat_outbox").replaceAll("[^a-z0-9_]", "_"))));
    }

    public String applicationId() {
        return topicPrefix + "kchat-processor";
    }
}
