package io.kchat.processor;

import io.kchat.processor.cdc.CdcConfig;
import io.kchat.processor.conversation.ConversationTopology;
import io.kchat.processor.errors.PoisonRecordPolicy;
import io.kchat.processor.user.UserLogTopology;
import io.kchat.schemas.ProducerLinger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the streams-processor, with every default in one place. Environment variables:
 * KAFKA_BOOTSTRAP_SERVERS, CHAT_TOPIC_PREFIX, CHAT_STATE_DIR, PROCESSOR_THREADS,
 * KAFKA_REPLICATION_FACTOR, KAFKA_LINGER_MS, PROCESSOR_COMMIT_INTERVAL_MS, PROCESSOR_FETCH_MAX_WAIT_MS,
 * PROCESSOR_SESSION_TIMEOUT_MS,
 * PROCESSOR_HEARTBEAT_INTERVAL_MS, PROCESSOR_TRANSACTION_TIMEOUT_MS, DEDUPE_WINDOW_HOURS, USER_LOG_MAX_EVENTS,
 * USER_LOG_MAX_AGE_DAYS, PROCESSOR_MAX_RECORD_ATTEMPTS, and for CDC: DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD,
 * CDC_ENABLED, CDC_SLOT_NAME, OUTBOX_RETENTION_MINUTES.
 */
public record ProcessorConfig(
        String bootstrapServers,
        String topicPrefix,
        Path stateDir,
        int threads,
        short replicationFactor,
        Duration commitInterval,
        Duration fetchMaxWait,
        Duration linger,
        Timeouts timeouts,
        Duration dedupeWindow,
        int maxEventsPerUser,
        Duration maxUserLogAge,
        int maxRecordAttempts,
        CdcConfig cdc) {

    /**
     * The group and transaction timeouts of the stream threads. {@code session}: how long an instance that
     * went silent (killed, frozen) keeps its partitions before the group gives them to the others;
     * {@code heartbeat}: how often a live one says so. {@code transaction}: how long an open exactly-once
     * transaction may stay open before the broker aborts it. A dead instance's open transaction holds back
     * every read_committed reader of the partitions it wrote to (the archive, read models, analytics; not the
     * live path, which reads uncommitted, D3) until it is aborted, so a long transaction timeout delays them;
     * an instance that is only stalled, and comes back before this timeout, finds its transaction open and
     * may write to it until it tries to commit and is fenced (D2 makes those writes repeats).
     */
    public record Timeouts(Duration session, Duration heartbeat, Duration transaction) {

        public Timeouts {
            requireMillis(session, "session timeout");
            requireMillis(heartbeat, "heartbeat interval");
            requireMillis(transaction, "transaction timeout");
            if (heartbeat.compareTo(session) >= 0) {
                // the consumer refuses this when a stream thread starts; say so at once, by our names
                throw new IllegalArgumentException("heartbeat interval (" + heartbeat.toMillis()
                        + " ms) must be below the session timeout (" + session.toMillis() + " ms)");
            }
            if (heartbeat.multipliedBy(3).compareTo(session) > 0) {
                log.warn("heartbeat interval {} ms is above a third of the session timeout {} ms: one lost "
                        + "heartbeat may cost a live instance its partitions", heartbeat.toMillis(), session.toMillis());
            }
        }

        /** The heartbeat a session timeout gets unless one is set: five beats per session. */
        public static Duration defaultHeartbeat(Duration session) {
            return session.dividedBy(5);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(ProcessorConfig.class);

    public static final Duration DEFAULT_OUTBOX_RETENTION = Duration.ofMinutes(60);
    /**
     * The live path does not wait for commits (D3), so the interval trades how soon read_committed readers
     * (archive, read models, analytics) see output, and how much a crash replays, against the broker's and the
     * stream thread's work per transaction: at 100 ms the 2-core benchmark machine spent much of its CPU on
     * commits (docs/performance.md).
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(1000);
    /**
     * How long the broker may hold the stream threads' fetch when it has nothing new. Measured: with the
     * client's 500 ms the stream thread fetched about 10 times a second under load and its input waited for it.
     */
    public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(10);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);

    public ProcessorConfig {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(commitInterval, "commitInterval");
        requireMillis(fetchMaxWait, "fetch max wait");
        ProducerLinger.require(linger);
        if (maxRecordAttempts < 1) {
            throw new IllegalArgumentException("max record attempts must be at least 1, not " + maxRecordAttempts);
        }
        if (commitInterval.isNegative()) {
            throw new IllegalArgumentException("commit interval must not be negative");
        }
        if (timeouts.transaction().compareTo(commitInterval) <= 0) {
            // Kafka Streams refuses this too: every transaction would time out before its commit
            throw new IllegalArgumentException("transaction timeout (" + timeouts.transaction().toMillis()
                    + " ms) must be above the commit interval (" + commitInterval.toMillis() + " ms)");
        }
    }

    public static ProcessorConfig fromEnv(Map<String, String> env) {
        String prefix = env.getOrDefault("CHAT_TOPIC_PREFIX", "");
        return new ProcessorConfig(
                env.getOrDefault("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092"),
                prefix,
                Path.of(env.getOrDefault("CHAT_STATE_DIR", "./data/streams")),
                Integer.parseInt(env.getOrDefault("PROCESSOR_THREADS", "1")),
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1")),
                millis(env, "PROCESSOR_COMMIT_INTERVAL_MS", DEFAULT_COMMIT_INTERVAL),
                millis(env, "PROCESSOR_FETCH_MAX_WAIT_MS", DEFAULT_FETCH_MAX_WAIT),
                millis(env, "KAFKA_LINGER_MS", ProducerLinger.DEFAULT),
                timeoutsFromEnv(env),
                Duration.ofHours(Long.parseLong(env.getOrDefault("DEDUPE_WINDOW_HOURS",
                        Long.toString(ConversationTopology.DEFAULT_DEDUPE_WINDOW.toHours())))),
                Integer.parseInt(env.getOrDefault("USER_LOG_MAX_EVENTS",
                        Integer.toString(UserLogTopology.DEFAULT_MAX_EVENTS_PER_USER))),
                Duration.ofDays(Long.parseLong(env.getOrDefault("USER_LOG_MAX_AGE_DAYS",
                        Long.toString(UserLogTopology.DEFAULT_MAX_EVENT_AGE.toDays())))),
                Integer.parseInt(env.getOrDefault("PROCESSOR_MAX_RECORD_ATTEMPTS",
                        Integer.toString(PoisonRecordPolicy.DEFAULT_MAX_ATTEMPTS))),
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

    private static Timeouts timeoutsFromEnv(Map<String, String> env) {
        Duration session = millis(env, "PROCESSOR_SESSION_TIMEOUT_MS", DEFAULT_SESSION_TIMEOUT);
        return new Timeouts(session,
                millis(env, "PROCESSOR_HEARTBEAT_INTERVAL_MS", Timeouts.defaultHeartbeat(session)),
                millis(env, "PROCESSOR_TRANSACTION_TIMEOUT_MS", DEFAULT_TRANSACTION_TIMEOUT));
    }

    private static Duration millis(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Duration.ofMillis(Long.parseLong(value.trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number of milliseconds, not '" + value + "'", e);
        }
    }

    /** Positive and small enough for the int milliseconds of the Kafka clients. */
    private static void requireMillis(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero() || duration.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be between 1 ms and " + Integer.MAX_VALUE
                    + " ms, not " + duration.toMillis() + " ms");
        }
    }
}
