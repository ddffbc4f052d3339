package io.kchat.processor;

import io.kchat.observability.LogFormat;
import io.kchat.observability.ServiceRuntime;
import io.kchat.processor.cdc.CdcConfig;
import io.kchat.processor.conversation.ConversationTopology;
import io.kchat.processor.errors.PoisonRecordPolicy;
import io.kchat.processor.guard.OutputSettings;
import io.kchat.processor.user.UserLogTopology;
import io.kchat.settings.ProducerLinger;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Settings of the streams-processor, each declared once below with its default and listed by {@link #settings()};
 * docs/configuration.md gives their meaning at length.
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
        Duration deliveredInterval,
        Duration receiptInterval,
        Duration pushGrace,
        int maxRecordAttempts,
        boolean settingsMigration,
        CdcConfig cdc,
        Duration messageRetention) {

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
     * commits. A commit also stalls the stream thread while it flushes: at 3 s the live path's p99 was 24–29 ms
     * instead of 34–38 ms (docs/performance.md, issue 18), but history then lags the live path by up to 3 s, and a
     * client that reloads right after sending finds its last messages missing from history: 1 s stays the default.
     */
    public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofSeconds(1);
    /**
     * How long the broker may hold the stream threads' fetch when it has nothing new. Measured: with the
     * client's 500 ms the stream thread fetched about 10 times a second under load and its input waited for it.
     */
    public static final Duration DEFAULT_FETCH_MAX_WAIT = Duration.ofMillis(10);
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TRANSACTION_TIMEOUT = Duration.ofSeconds(10);
    /**
     * The quiet acknowledgement wave (D18): with sockets acking every 200 ms, a user receiving steadily sent a
     * delivered frontier, and so a receipt to each sender's log and sockets, five times a second; the first ack after
     * a pause still goes at once, so a delivered tick in a quiet conversation does not wait.
     */
    public static final Duration DEFAULT_DELIVERED_RECEIPT_INTERVAL = Duration.ofSeconds(1);
    /**
     * The conversation side of the wave: a member reading along in a busy conversation moved its read cursor, and so
     * sent a receipt to every member's log and sockets, at every message; a conversation's first receipt after a
     * pause still goes at once.
     */
    public static final Duration DEFAULT_RECEIPT_INTERVAL = Duration.ofSeconds(1);

    public ProcessorConfig {
        Objects.requireNonNull(timeouts, "timeouts");
        Objects.requireNonNull(commitInterval, "commitInterval");
        requireMillis(fetchMaxWait, "fetch max wait");
        ProducerLinger.require(linger);
        Objects.requireNonNull(deliveredInterval, "deliveredInterval");
        if (deliveredInterval.isNegative()) {
            throw new IllegalArgumentException("DELIVERED_RECEIPT_INTERVAL must not be negative");
        }
        Objects.requireNonNull(receiptInterval, "receiptInterval");
        if (receiptInterval.isNegative()) {
            throw new IllegalArgumentException("RECEIPT_INTERVAL must not be negative");
        }
        Objects.requireNonNull(pushGrace, "pushGrace");
        if (pushGrace.isNegative()) {
            throw new IllegalArgumentException("PUSH_GRACE must not be negative");
        }
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

    public static final Setting<Path> STATE_DIR = Setting.path("CHAT_STATE_DIR", "./data/streams",
            "where the stream threads keep their state stores").deploy();
    public static final Setting<Integer> THREADS = Setting.integer("PROCESSOR_THREADS", 1, "stream threads");
    public static final Setting<Duration> COMMIT_INTERVAL = Setting.duration("PROCESSOR_COMMIT_INTERVAL",
            DEFAULT_COMMIT_INTERVAL, "how often the exactly-once transactions commit").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> FETCH_MAX_WAIT = Setting.duration("PROCESSOR_FETCH_MAX_WAIT",
            DEFAULT_FETCH_MAX_WAIT, "how long the broker may hold a fetch when it has nothing new")
            .formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("PROCESSOR_SESSION_TIMEOUT",
            DEFAULT_SESSION_TIMEOUT, "how long a silent instance keeps its partitions").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> HEARTBEAT_INTERVAL = Setting.computedDuration("PROCESSOR_HEARTBEAT_INTERVAL",
            "a fifth of the session timeout", "how often a live instance says so").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> TRANSACTION_TIMEOUT = Setting.duration(
            "PROCESSOR_TRANSACTION_TIMEOUT", DEFAULT_TRANSACTION_TIMEOUT,
            "how long an open transaction may stay open before the broker aborts it").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Duration> DEDUPE_WINDOW = Setting.duration("DEDUPE_WINDOW",
                    ConversationTopology.DEFAULT_DEDUPE_WINDOW, "how long a client id is remembered")
            .formerlyIn(ChronoUnit.HOURS);
    public static final Setting<Integer> USER_LOG_MAX_EVENTS = Setting.integer("USER_LOG_MAX_EVENTS",
            UserLogTopology.DEFAULT_MAX_EVENTS_PER_USER, "events kept per user for devices that are away");
    public static final Setting<Duration> USER_LOG_MAX_AGE = Setting.duration("USER_LOG_MAX_AGE",
                    UserLogTopology.DEFAULT_MAX_EVENT_AGE, "how long an event is kept for devices that are away")
            .formerlyIn(ChronoUnit.DAYS);
    public static final Setting<Duration> DELIVERED_RECEIPT_INTERVAL = Setting.duration("DELIVERED_RECEIPT_INTERVAL",
            DEFAULT_DELIVERED_RECEIPT_INTERVAL, "a user's delivered frontiers go back to their conversations at most this "
                    + "often (0s: at every ack)");
    public static final Setting<Duration> RECEIPT_INTERVAL = Setting.duration("RECEIPT_INTERVAL",
            DEFAULT_RECEIPT_INTERVAL, "a conversation's read and delivered receipts go to its members at most this often, "
                    + "the newest per member and kind (0s: at every change)");
    public static final Setting<Duration> PUSH_GRACE = Setting.duration("PUSH_GRACE",
            UserLogTopology.DEFAULT_PUSH_GRACE, "how long a message from someone else waits in a user's log before the "
                    + "devices without a session that have not acked it are due a push").formerlyIn(ChronoUnit.MILLIS);
    public static final Setting<Integer> MAX_RECORD_ATTEMPTS = Setting.integer("PROCESSOR_MAX_RECORD_ATTEMPTS",
            PoisonRecordPolicy.DEFAULT_MAX_ATTEMPTS,
            "attempts at an input record whose processing throws before it goes to the dead-letter topic");
    public static final Setting<Boolean> SETTINGS_MIGRATION = Setting.flag("PROCESSOR_SETTINGS_MIGRATION", false,
            "start with output settings other than those recorded, and record them; for one start, once drained");
    public static final Setting<String> DATABASE_URL = Setting.optionalText("DATABASE_URL", "CDC off",
            "the gateway's database, for the Debezium engine and the outbox janitor").deploy();
    public static final Setting<Boolean> CDC_ENABLED = Setting.flag("CDC_ENABLED", true,
            "relay the outbox and the tables from PostgreSQL (needs DATABASE_URL)");
    public static final Setting<String> CDC_SLOT_NAME = Setting.computedText("CDC_SLOT_NAME",
            "`<prefix>kchat_outbox`, characters other than `[a-z0-9_]` replaced by `_`",
            "the replication slot of the Debezium engine");
    public static final Setting<Duration> OUTBOX_RETENTION = Setting.duration("OUTBOX_RETENTION",
                    DEFAULT_OUTBOX_RETENTION, "how long outbox rows stay after they were written")
            .formerlyIn(ChronoUnit.MINUTES);

    /** Every setting of the processor, declared once each: docs/configuration.md is checked against this list. */
    public static List<Setting<?>> settings() {
        return List.of(SharedSettings.KAFKA_BOOTSTRAP_SERVERS, SharedSettings.KAFKA_REPLICATION_FACTOR,
                SharedSettings.MESSAGE_RETENTION,
                ProducerLinger.SETTING, SharedSettings.CHAT_TOPIC_PREFIX, DATABASE_URL, SharedSettings.DATABASE_USER,
                SharedSettings.DATABASE_PASSWORD, LogFormat.SETTING, ServiceRuntime.HEALTH_PORT, STATE_DIR, THREADS,
                COMMIT_INTERVAL, FETCH_MAX_WAIT, SESSION_TIMEOUT, HEARTBEAT_INTERVAL, TRANSACTION_TIMEOUT,
                DEDUPE_WINDOW, USER_LOG_MAX_EVENTS, USER_LOG_MAX_AGE, DELIVERED_RECEIPT_INTERVAL, RECEIPT_INTERVAL,
                PUSH_GRACE, MAX_RECORD_ATTEMPTS, SETTINGS_MIGRATION, CDC_ENABLED,
                CDC_SLOT_NAME, OUTBOX_RETENTION);
    }

    /** For tests and tools: {@link #from} over a map of variables. */
    public static ProcessorConfig fromEnv(Map<String, String> env) {
        return from(Settings.of(env));
    }

    public static ProcessorConfig from(Settings settings) {
        String prefix = settings.get(SharedSettings.CHAT_TOPIC_PREFIX);
        Optional<String> databaseUrl = settings.find(DATABASE_URL);
        return new ProcessorConfig(
                settings.get(SharedSettings.KAFKA_BOOTSTRAP_SERVERS),
                prefix,
                settings.get(STATE_DIR),
                settings.get(THREADS),
                SharedSettings.replicationFactor(settings),
                settings.get(COMMIT_INTERVAL),
                settings.get(FETCH_MAX_WAIT),
                ProducerLinger.from(settings),
                timeouts(settings),
                settings.get(DEDUPE_WINDOW),
                settings.get(USER_LOG_MAX_EVENTS),
                settings.get(USER_LOG_MAX_AGE),
                settings.get(DELIVERED_RECEIPT_INTERVAL),
                settings.get(RECEIPT_INTERVAL),
                settings.get(PUSH_GRACE),
                settings.get(MAX_RECORD_ATTEMPTS),
                settings.get(SETTINGS_MIGRATION),
                new CdcConfig(
                        settings.get(CDC_ENABLED) && databaseUrl.isPresent(),
                        databaseUrl.orElse(null),
                        settings.get(SharedSettings.DATABASE_USER),
                        settings.get(SharedSettings.DATABASE_PASSWORD),
                        settings.find(CDC_SLOT_NAME)
                                .orElse((prefix + "kchat_outbox").replaceAll("[^a-z0-9_]", "_")),
                        settings.get(OUTBOX_RETENTION)),
                settings.get(SharedSettings.MESSAGE_RETENTION));
    }

    public String applicationId() {
        return topicPrefix + "kchat-processor";
    }

    /** The settings that change what the processor writes for a given input: D2 holds only while they stay. */
    public OutputSettings outputSettings() {
        return new OutputSettings(dedupeWindow, maxEventsPerUser, maxUserLogAge, receiptInterval);
    }

    private static Timeouts timeouts(Settings settings) {
        Duration session = settings.get(SESSION_TIMEOUT);
        return new Timeouts(session,
                settings.find(HEARTBEAT_INTERVAL).orElse(Timeouts.defaultHeartbeat(session)),
                settings.get(TRANSACTION_TIMEOUT));
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
