package io.kchat.delivery;

import io.kchat.schemas.ProducerLinger;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings of the delivery-service, with every default in this one place.
 *
 * <p>Environment ({@link #fromEnv}); durations are written {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601
 * ({@code PT5S}):
 * <ul>
 *   <li>{@code KAFKA_BOOTSTRAP_SERVERS} (required)
 *   <li>{@code CHAT_TOPIC_PREFIX} (default empty)
 *   <li>{@code KAFKA_REPLICATION_FACTOR} (default 1): for catalogue topics this service creates
 *   <li>{@code DATABASE_URL} (required): JDBC URL of PostgreSQL
 *   <li>{@code DATABASE_USER} (default {@value DatabaseSettings#DEFAULT_USER})
 *   <li>{@code DATABASE_PASSWORD} (default empty)
 *   <li>{@code DATABASE_POOL_SIZE} (default {@value DatabaseSettings#DEFAULT_POOL_SIZE})
 *   <li>{@code NODE_REAP_INTERVAL} (default 5s): how often sessions of dead or restarted gateway nodes are reaped
 *   <li>{@code NODE_EXPIRY} (default 30s): a node whose last heartbeat is older is dead (guarantee 8)
 *   <li>{@code TYPING_MAX_AGE} (default 5s): older typing notices are dropped instead of relayed
 *   <li>{@code DELIVERY_SESSION_TIMEOUT} (default 10s): how long a silent instance keeps its partitions
 *   <li>{@code DELIVERY_ROUTER_COMMIT_INTERVAL} (default 1s): how often the router commits what it routed
 *   <li>{@code KAFKA_LINGER_MS} (default 1): how long the producer waits to fill a batch
 * </ul>
 *
 * @param bootstrapServers     Kafka bootstrap servers
 * @param topicPrefix          prefix of every catalogue topic (tests use a unique one each)
 * @param replicationFactor    used when this service creates a missing catalogue topic
 * @param groupId              consumer group reading chat.deliveries; instances share it to split partitions.
 *                             The archive, presence and typing groups are named after it
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
 * @param routerCommitInterval how often the router commits the offsets of what it routed (and on stop or
 *                             revocation); a crash repeats at most this long of copies, which gateways drop
 * @param linger               how long the producer waits to fill a batch (0: every record at once)
 */
public record DeliveryConfig(
        String bootstrapServers, String topicPrefix, short replicationFactor, String groupId,
        Duration pollTimeout, Duration egressTopicsRefresh, DatabaseSettings database,
        Duration nodeReapInterval, Duration nodeExpiry, Duration typingMaxAge, Duration sessionTimeout,
        Duration routerCommitInterval, Duration linger) {

    public static final String DEFAULT_GROUP_ID = "kchat-delivery";
    /** How long a dead instance holds its partitions (as the processor's default). */
    public static final Duration DEFAULT_SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_EGRESS_TOPICS_REFRESH = Duration.ofSeconds(5);
    public static final Duration DEFAULT_NODE_REAP_INTERVAL = Duration.ofSeconds(5);
    public static final Duration DEFAULT_NODE_EXPIRY = Duration.ofSeconds(30);
    public static final Duration DEFAULT_TYPING_MAX_AGE = Duration.ofSeconds(5);
    /** As the processor's commit interval: a crash repeats about as much on both sides. */
    public static final Duration DEFAULT_ROUTER_COMMIT_INTERVAL = Duration.ofSeconds(1);

    public DeliveryConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(database, "database");
        requirePositive(pollTimeout, "pollTimeout");
        requirePositive(egressTopicsRefresh, "egressTopicsRefresh");
        requirePositive(nodeReapInterval, "nodeReapInterval");
        requirePositive(nodeExpiry, "nodeExpiry");
        requirePositive(typingMaxAge, "typingMaxAge");
        requirePositive(sessionTimeout, "sessionTimeout");
        requirePositive(routerCommitInterval, "routerCommitInterval");
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
                DEFAULT_ROUTER_COMMIT_INTERVAL, ProducerLinger.DEFAULT);
    }

    /** The settings listed in the class comment, each falling back to its default. */
    public static DeliveryConfig fromEnv(Map<String, String> env) {
        DatabaseSettings database = new DatabaseSettings(required(env, "DATABASE_URL"),
                env.getOrDefault("DATABASE_USER", DatabaseSettings.DEFAULT_USER),
                env.getOrDefault("DATABASE_PASSWORD", ""),
                Integer.parseInt(env.getOrDefault("DATABASE_POOL_SIZE",
                        Integer.toString(DatabaseSettings.DEFAULT_POOL_SIZE)).trim()));
        String prefix = env.getOrDefault("CHAT_TOPIC_PREFIX", "");
        return new DeliveryConfig(required(env, "KAFKA_BOOTSTRAP_SERVERS"),
                prefix,
                Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1").trim()),
                groupIdFor(prefix), DEFAULT_POLL_TIMEOUT, DEFAULT_EGRESS_TOPICS_REFRESH, database,
                duration(env, "NODE_REAP_INTERVAL", DEFAULT_NODE_REAP_INTERVAL),
                duration(env, "NODE_EXPIRY", DEFAULT_NODE_EXPIRY),
                duration(env, "TYPING_MAX_AGE", DEFAULT_TYPING_MAX_AGE),
                duration(env, "DELIVERY_SESSION_TIMEOUT", DEFAULT_SESSION_TIMEOUT),
                duration(env, "DELIVERY_ROUTER_COMMIT_INTERVAL", DEFAULT_ROUTER_COMMIT_INTERVAL),
                ProducerLinger.of(env.get("KAFKA_LINGER_MS")));
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
                routerCommitInterval, linger);
    }

    public DeliveryConfig withTypingMaxAge(Duration newTypingMaxAge) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, replicationFactor, groupId, pollTimeout,
                egressTopicsRefresh, database, nodeReapInterval, nodeExpiry, newTypingMaxAge, sessionTimeout,
                routerCommitInterval, linger);
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

    /**
     * read_uncommitted: this hop does not wait for the processor's exactly-once commit (D3); a replay
     * after an abort repeats identical items that gateways drop by userSeq. A new group must not skip items
     * already waiting (a ReplayStarted lost means a device never gets ready).
     */
    public Map<String, Object> routerConsumerProperties() {
        return consumerProperties(groupId, "read_uncommitted", "earliest");
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
     * The service's one producer: durable (acks=all, idempotent) because it carries deliveries and the
     * reaper's SessionClosed, and holding a record back for a batch only {@code linger} on the live path (D3).
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

    /** {@code 500ms}, {@code 5s}, {@code 2m} or ISO-8601 ({@code PT5S}). */
    static Duration parseDuration(String name, String value) {
        String text = value.trim();
        try {
            if (text.regionMatches(true, 0, "P", 0, 1)) {
                return Duration.parse(text);
            }
            if (text.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2).trim()));
            }
            if (text.endsWith("s")) {
                return Duration.ofSeconds(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            }
            if (text.endsWith("m")) {
                return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1).trim()));
            }
        } catch (NumberFormatException | DateTimeParseException e) {
            // reported below with the accepted forms
        }
        throw new IllegalArgumentException(
                name + " must be a duration such as 500ms, 5s, 2m or PT5S, not '" + value + "'");
    }

    private static Duration duration(Map<String, String> env, String name, Duration fallback) {
        String value = env.get(name);
        return value == null || value.isBlank() ? fallback : parseDuration(name, value);
    }

    private static String required(Map<String, String> env, String name) {
        String value = env.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " is required");
        }
        return value;
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
