package io.kchat.delivery;

import io.kchat.delivery.push.PushConfig;
import io.kchat.observability.LogFormat;
import io.kchat.observability.ServiceRuntime;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.settings.ProducerLinger;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings of the delivery-service, with every default in this one place.
 *
 * <p>Environment: the settings declared below and listed by {@link #settings()}, each with its default;
 * docs/configuration.md gives their meaning at length.
 *
 * @param bootstrapServers     Kafka bootstrap servers
 * @param topicPrefix          prefix of every catalogue topic (tests use a unique one each)
 * @param replicationFactor    used when this service creates a missing catalogue topic
 * @param groupId              base name of the consumer groups, which instances share to split partitions: the
 *                             archive, presence, typing and assistant-stream groups are named after it
 *                             ({@link #archiveGroupId()}...)
 * @param pollTimeout          longest a poll blocks, which bounds how long a stop request waits
 * @param egressTopicsRefresh  how often the set of existing node egress topics is re-read
 * @param database             the PostgreSQL holding the read models and the session directory
 * @param nodeReapInterval     pause between two passes of the session reaper
 * @param nodeExpiry           heartbeat age after which a gateway node's sessions are reaped
 * @param typingMaxAge         typing notices older than this (by their {@code at}) are dropped
 * @param sessionTimeout       consumer group session timeout of every loop: how long a killed instance holds
 *                             its partitions (heartbeats every third of it). The broker refuses a value
 *                             outside its {@code group.min.session.timeout.ms} .. {@code group.max.session.timeout.ms}
 *                             (6 s .. 30 min by default)
 * @param linger               how long the producer waits to fill a batch (0: every record at once)
 * @param messageRetention     retention of the message topics this service creates when missing
 * @param push                 the push sender's settings (D15)
 */
public record DeliveryConfig(
        String bootstrapServers, String topicPrefix, short replicationFactor, String groupId,
        Duration pollTimeout, Duration egressTopicsRefresh, DatabaseSettings database,
        Duration nodeReapInterval, Duration nodeExpiry, Duration typingMaxAge, Duration sessionTimeout,
        Duration linger, Duration messageRetention, PushConfig push) {

    public static final String DEFAULT_GROUP_ID = "kchat-delivery";
    /** The most PushDue records one push batch reads, unless PUSH_CONCURRENCY is larger. */
    static final int MIN_PUSH_BATCH = 500;
    /** How long a dead instance holds its partitions (as the processor's default). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_EGRESS_TOPICS_REFRESH = Duration.ofSeconds(5);
    public static final Duration DEFAULT_NODE_REAP_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_NODE_EXPIRY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TYPING_MAX_AGE = Duration.ofSeconds(5);

    public DeliveryConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(push, "push");
        requirePositive(pollTimeout, "pollTimeout");
        requirePositive(egressTopicsRefresh, "egressTopicsRefresh");
        requirePositive(nodeReapInterval, "nodeReapInterval");
        requirePositive(nodeExpiry, "nodeExpiry");
        requirePositive(typingMaxAge, "typingMaxAge");
        requirePositive(sessionTimeout, "sessionTimeout");
        ProducerLinger.require(linger);
        if (sessionTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sessionTimeout must be at most " + Integer.MAX_VALUE + " ms");
        }
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1");
        }
    }

    /** Defaults for everything but where the broker and the database are and which topics to use. */
    public static DeliveryConfig of(String bootstrapServers, String topicPrefix, DatabaseSettings database) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, (short) 1, groupIdFor(topicPrefix),
                DEFAULT_POLL_TIMEOUT, DEFAULT_EGRESS_TOPICS_REFRESH, database,
                DEFAULT_NODE_REAP_INTERVAL, DEFAULT_NODE_EXPIRY, DEFAULT_TYPING_MAX_AGE, DEFAULT_SESSION_TIMEOUT,
                ProducerLinger.DEFAULT, TopicCatalogue.DEFAULT_MESSAGE_RETENTION, PushConfig.DEFAULTS);
    }

    public static final Setting<String> KAFKA_BOOTSTRAP_SERVERS = Setting.requiredText("KAFKA_BOOTSTRAP_SERVERS",
            "Kafka brokers (host:port, comma-separated)");
    public static final Setting<Integer> DATABASE_POOL_SIZE = Setting.integer("DATABASE_POOL_SIZE",
            DatabaseSettings.DEFAULT_POOL_SIZE, "most database connections held at once");
    public static final Setting<Duration> NODE_REAP_INTERVAL = Setting.duration("NODE_REAP_INTERVAL",
            DEFAULT_NODE_REAP_INTERVAL, "how often sessions of dead or restarted gateway nodes are reaped");
    public static final Setting<Duration> NODE_EXPIRY = Setting.duration("NODE_EXPIRY", DEFAULT_NODE_EXPIRY,
            "a node whose last heartbeat is older is dead");
    public static final Setting<Duration> TYPING_MAX_AGE = Setting.duration("TYPING_MAX_AGE", DEFAULT_TYPING_MAX_AGE,
            "older typing notices are dropped instead of relayed");
    public static final Setting<Duration> SESSION_TIMEOUT = Setting.duration("DELIVERY_SESSION_TIMEOUT",
            DEFAULT_SESSION_TIMEOUT, "how long a silent instance keeps its partitions");

    /** Every setting of the delivery-service, declared once each: docs/configuration.md is checked against it. */
    public static List<Setting<?>> settings() {
        return Stream.concat(Stream.of(KAFKA_BOOTSTRAP_SERVERS, SharedSettings.KAFKA_REPLICATION_FACTOR, SharedSettings.MESSAGE_RETENTION,
                ProducerLinger.SETTING,
                SharedSettings.CHAT_TOPIC_PREFIX, SharedSettings.DATABASE_URL, SharedSettings.DATABASE_USER,
                SharedSettings.DATABASE_PASSWORD, DATABASE_POOL_SIZE, LogFormat.SETTING, ServiceRuntime.HEALTH_PORT,
                NODE_REAP_INTERVAL, NODE_EXPIRY, TYPING_MAX_AGE, SESSION_TIMEOUT),
                PushConfig.settings().stream()).toList();
    }

    /** For tests and tools: {@link #from} over a map of variables. */
    public static DeliveryConfig fromEnv(Map<String, String> env) {
        return from(Settings.of(env));
    }

    public static DeliveryConfig from(Settings settings) {
        DatabaseSettings database = new DatabaseSettings(settings.get(SharedSettings.DATABASE_URL),
                settings.get(SharedSettings.DATABASE_USER), settings.get(SharedSettings.DATABASE_PASSWORD),
                settings.get(DATABASE_POOL_SIZE));
        String prefix = settings.get(SharedSettings.CHAT_TOPIC_PREFIX);
        return new DeliveryConfig(settings.get(KAFKA_BOOTSTRAP_SERVERS),
                prefix,
                SharedSettings.replicationFactor(settings),
                groupIdFor(prefix), DEFAULT_POLL_TIMEOUT, DEFAULT_EGRESS_TOPICS_REFRESH, database,
                settings.get(NODE_REAP_INTERVAL),
                settings.get(NODE_EXPIRY),
                settings.get(TYPING_MAX_AGE),
                settings.get(SESSION_TIMEOUT),
                ProducerLinger.from(settings),
                settings.get(SharedSettings.MESSAGE_RETENTION),
                PushConfig.from(settings));
    }

    /**
     * Stacks that share a broker under different topic prefixes must not share consumer groups: a member
     * of another stack's group, or one killed there, would hold partitions of ours until its session expires.
     */
    static String groupIdFor(String topicPrefix) {
        return topicPrefix + DEFAULT_GROUP_ID;
    }

    public DeliveryConfig withGroupId(String newGroupId) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, replicationFactor, newGroupId, pollTimeout,
                egressTopicsRefresh, database, nodeReapInterval, nodeExpiry, typingMaxAge, sessionTimeout,
                linger, messageRetention, push);
    }

    public DeliveryConfig withPush(PushConfig newPush) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, replicationFactor, groupId, pollTimeout,
                egressTopicsRefresh, database, nodeReapInterval, nodeExpiry, typingMaxAge, sessionTimeout,
                linger, messageRetention, newPush);
    }

    public DeliveryConfig withTypingMaxAge(Duration newTypingMaxAge) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, replicationFactor, groupId, pollTimeout,
                egressTopicsRefresh, database, nodeReapInterval, nodeExpiry, newTypingMaxAge, sessionTimeout,
                linger, messageRetention, push);
    }

    public String archiveGroupId() {
        return groupId + "-archive";
    }

    public String presenceGroupId() {
        return groupId + "-presence";
    }

    public String typingGroupId() {
        return groupId + "-typing";
    }

    public String assistantStreamGroupId() {
        return groupId + "-assistant";
    }

    public String pushGroupId() {
        return groupId + "-push";
    }

    /** read_committed: the archive holds only what the processor committed (D3, D9); a new group reads all. */
    public Map<String, Object> archiveConsumerProperties() {
        return consumerProperties(archiveGroupId(), "read_committed", "earliest");
    }

    /** read_committed like the archive: the presence table is a read model. */
    public Map<String, Object> presenceConsumerProperties() {
        return consumerProperties(presenceGroupId(), "read_committed", "earliest");
    }

    /** Typing is for whoever is online now (D10): a new group starts at the end, not at the last minute. */
    public Map<String, Object> typingConsumerProperties() {
        return consumerProperties(typingGroupId(), "read_uncommitted", "latest");
    }

    /** The assistant's answers as they are written, like typing (D10): for whoever is online now, from the end. */
    public Map<String, Object> assistantStreamConsumerProperties() {
        return consumerProperties(assistantStreamGroupId(), "read_uncommitted", "latest");
    }

    /**
     * read_committed (D15): a push follows only what the processor committed. A batch is at most one wave of
     * concurrent pushes, and the poll interval allows every push of it its tries and pauses (and a preview's wait), so
     * that a slow push service does not cost the partitions.
     */
    public Map<String, Object> pushConsumerProperties() {
        Map<String, Object> properties = new HashMap<>(consumerProperties(pushGroupId(), "read_committed", "earliest"));
        Duration onePush = push.timeout().plus(push.maxRetryDelay()).multipliedBy(push.maxAttempts())
                .plus(Duration.ofSeconds(30));
        // many due at once (a group's burst) go out in one batch, PUSH_CONCURRENCY at a time, rather than in
        // batches of PUSH_CONCURRENCY each waiting for its slowest push and a commit
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, Math.max(MIN_PUSH_BATCH, push.concurrency()));
        properties.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG,
                (int) Math.min(Integer.MAX_VALUE, Math.max(300_000L, onePush.multipliedBy(2).toMillis())));
        return properties;
    }

    /** Offsets are committed by hand, only after what a batch caused is durable (or, for ephemerals, sent). */
    private Map<String, Object> consumerProperties(String group, String isolationLevel, String offsetReset) {
        return Map.ofEntries(
                Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, group),
                Map.entry(ConsumerConfig.CLIENT_ID_CONFIG, group),
                Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel),
                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, offsetReset),
                Map.entry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                // a killed instance's partitions move to the others after this, not the 45 s default
                Map.entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) sessionTimeout.toMillis()),
                Map.entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                        (int) Math.max(1, sessionTimeout.toMillis() / 3)),
                Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class),
                Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /**
     * The service's one producer: durable (acks=all, idempotent) because it carries the reaper's SessionClosed, and
     * holding a record back for a batch only {@code linger} on the live path (D3).
     */
    public Map<String, Object> producerProperties() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, groupId + "-producer",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    public Map<String, Object> adminProperties() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, groupId + "-admin");
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
