package io.kchat.delivery;

import java.time.Duration;
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
 * @param bootstrapServers     Kafka bootstrap servers
 * @param topicPrefix          prefix of every catalogue topic (tests use a unique one each)
 * @param replicationFactor    used when this service creates a missing catalogue topic
 * @param groupId              consumer group reading chat.deliveries; instances share it to split partitions
 * @param pollTimeout          longest a poll blocks, which bounds how long a stop request waits
 * @param egressTopicsRefresh  how often the set of existing node egress topics is re-read
 */
public record DeliveryConfig(
        String bootstrapServers, String topicPrefix, short replicationFactor, String groupId,
        Duration pollTimeout, Duration egressTopicsRefresh) {

    public static final String DEFAULT_GROUP_ID = "kchat-delivery";
    public static final Duration DEFAULT_POLL_TIMEOUT = Duration.ofMillis(500);
    public static final Duration DEFAULT_EGRESS_TOPICS_REFRESH = Duration.ofSeconds(5);

    public DeliveryConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(pollTimeout, "pollTimeout");
        Objects.requireNonNull(egressTopicsRefresh, "egressTopicsRefresh");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1");
        }
    }

    /** Defaults for everything but where the broker is and which topics to use. */
    public static DeliveryConfig of(String bootstrapServers, String topicPrefix) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, (short) 1, DEFAULT_GROUP_ID,
                DEFAULT_POLL_TIMEOUT, DEFAULT_EGRESS_TOPICS_REFRESH);
    }

    /** KAFKA_BOOTSTRAP_SERVERS (required), CHAT_TOPIC_PREFIX (default ""), KAFKA_REPLICATION_FACTOR (default 1). */
    public static DeliveryConfig fromEnv(Map<String, String> env) {
        String bootstrap = env.get("KAFKA_BOOTSTRAP_SERVERS");
        if (bootstrap == null || bootstrap.isBlank()) {
            throw new IllegalArgumentException("KAFKA_BOOTSTRAP_SERVERS is required");
        }
        short replication = Short.parseShort(env.getOrDefault("KAFKA_REPLICATION_FACTOR", "1"));
        return new DeliveryConfig(bootstrap, env.getOrDefault("CHAT_TOPIC_PREFIX", ""), replication,
                DEFAULT_GROUP_ID, DEFAULT_POLL_TIMEOUT, DEFAULT_EGRESS_TOPICS_REFRESH);
    }

    public DeliveryConfig withGroupId(String newGroupId) {
        return new DeliveryConfig(bootstrapServers, topicPrefix, replicationFactor, newGroupId, pollTimeout,
                egressTopicsRefresh);
    }

    /**
     * read_uncommitted: the live path does not wait for the processor's exactly-once commit (D3); a replay
     * after an abort repeats identical items that gateways drop by userSeq. Offsets are committed by hand,
     * only after the routed copies were acknowledged.
     */
    public Map<String, Object> consumerProperties() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, groupId,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                // a new group must not skip items already waiting (a ReplayStarted lost means a device never gets ready)
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    /** Durable (acks=all, idempotent) and not batching on the live path (linger 0, D3). */
    public Map<String, Object> producerProperties() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, groupId + "-router",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
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
}
