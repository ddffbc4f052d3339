package io.kchat.assistant;

import io.kchat.assistant.model.ModelClientConfig;
import io.kchat.observability.LogFormat;
import io.kchat.observability.ServiceRuntime;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.settings.ProducerLinger;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Settings of the assistant worker, with every default in this one place (how it answers: {@link AnswerSettings}).
 * docs/configuration.md gives their meaning at length and is checked against {@link #SETTINGS}.
 *
 * @param topicPrefix       prefix of every catalogue topic and of the consumer group
 * @param replicationFactor used when the worker creates a missing catalogue topic
 * @param messageRetention  retention of the message topics the worker creates when missing
 * @param linger            how long the producers wait to fill a batch
 * @param model             the model client's settings; empty: the assistant is off and the worker idles
 * @param answers           how questions are answered
 */
public record AssistantConfig(String bootstrapServers, String topicPrefix, short replicationFactor,
                              Duration messageRetention, Duration linger, DatabaseSettings database,
                              Optional<ModelClientConfig> model, AnswerSettings answers) {

    public static final String GROUP_ID = "kchat-assistant";
    /** How long a killed instance holds its partitions before another answers their questions. */
    public static final Duration SESSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration POLL_TIMEOUT = Duration.ofMillis(200);

    public static final Setting<Integer> DATABASE_POOL_SIZE = Setting.integer("DATABASE_POOL_SIZE",
            DatabaseSettings.DEFAULT_POOL_SIZE, "most database connections held at once");

    /** Every setting the worker reads, each declared once: docs/configuration.md is checked against it. */
    public static final List<Setting<?>> SETTINGS = Stream.concat(Stream.of(
            SharedSettings.KAFKA_BOOTSTRAP_SERVERS, SharedSettings.KAFKA_REPLICATION_FACTOR,
            SharedSettings.MESSAGE_RETENTION, ProducerLinger.SETTING, SharedSettings.CHAT_TOPIC_PREFIX,
            SharedSettings.DATABASE_URL, SharedSettings.DATABASE_USER, SharedSettings.DATABASE_PASSWORD,
            DATABASE_POOL_SIZE, LogFormat.SETTING, ServiceRuntime.HEALTH_PORT),
            Stream.concat(ModelClientConfig.SETTINGS.stream(), AnswerSettings.SETTINGS.stream())).toList();

    public AssistantConfig {
        Objects.requireNonNull(bootstrapServers, "bootstrapServers");
        topicPrefix = topicPrefix == null ? "" : topicPrefix;
        Objects.requireNonNull(messageRetention, "messageRetention");
        ProducerLinger.require(linger);
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(answers, "answers");
        if (replicationFactor < 1) {
            throw new IllegalArgumentException("replicationFactor must be >= 1");
        }
    }

    /** Defaults for everything but the broker, the topics and the database; no model (the assistant off). */
    public static AssistantConfig of(String bootstrapServers, String topicPrefix, DatabaseSettings database) {
        return new AssistantConfig(bootstrapServers, topicPrefix, (short) 1, TopicCatalogue.DEFAULT_MESSAGE_RETENTION,
                ProducerLinger.DEFAULT, database, Optional.empty(), AnswerSettings.DEFAULTS);
    }

    /** For tests and tools: {@link #from} over a map of variables. */
    public static AssistantConfig fromEnv(Map<String, String> env) {
        return from(Settings.of(env));
    }

    public static AssistantConfig from(Settings settings) {
        DatabaseSettings database = new DatabaseSettings(settings.get(SharedSettings.DATABASE_URL),
                settings.get(SharedSettings.DATABASE_USER), settings.get(SharedSettings.DATABASE_PASSWORD),
                settings.get(DATABASE_POOL_SIZE));
        return new AssistantConfig(settings.get(SharedSettings.KAFKA_BOOTSTRAP_SERVERS),
                settings.get(SharedSettings.CHAT_TOPIC_PREFIX), SharedSettings.replicationFactor(settings),
                settings.get(SharedSettings.MESSAGE_RETENTION), ProducerLinger.from(settings), database,
                ModelClientConfig.fromSettings(settings), AnswerSettings.from(settings));
    }

    public AssistantConfig withModel(ModelClientConfig newModel) {
        return new AssistantConfig(bootstrapServers, topicPrefix, replicationFactor, messageRetention, linger,
                database, Optional.of(newModel), answers);
    }

    public AssistantConfig withAnswers(AnswerSettings newAnswers) {
        return new AssistantConfig(bootstrapServers, topicPrefix, replicationFactor, messageRetention, linger,
                database, model, newAnswers);
    }

    /** Stacks sharing a broker under different prefixes must not share the group. */
    public String groupId() {
        return topicPrefix + GROUP_ID;
    }

    public TopicCatalogue catalogue() {
        return new TopicCatalogue(topicPrefix, messageRetention);
    }

    /**
     * read_committed (D15): only messages the processor committed are questions. Offsets are committed by hand, only
     * up to the first question whose answer Kafka has not acknowledged; a new group starts at the beginning, since a
     * question nobody answered yet may be there (too old ones get a short answer).
     */
    public Map<String, Object> questionConsumerProperties() {
        return Map.ofEntries(
                Map.entry(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers),
                Map.entry(ConsumerConfig.GROUP_ID_CONFIG, groupId()),
                Map.entry(ConsumerConfig.CLIENT_ID_CONFIG, groupId()),
                Map.entry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                Map.entry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                Map.entry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                Map.entry(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false),
                Map.entry(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500),
                // a rebalance cancels the answers of the partitions that move, and only those: not every answer in
                // progress each time an instance joins or leaves, as the eager assignors would
                Map.entry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                        CooperativeStickyAssignor.class.getName()),
                Map.entry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis()),
                Map.entry(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) SESSION_TIMEOUT.toMillis() / 3),
                Map.entry(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class),
                Map.entry(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class));
    }

    /** No group: every instance reads every stop, from the end (a stop is for an answer being written now). */
    public Map<String, Object> stopConsumerProperties() {
        return Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.CLIENT_ID_CONFIG, groupId() + "-stops",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class,
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
    }

    /** The answers: durable and idempotent, since a question counts as done only once its answer is acknowledged. */
    public Map<String, Object> answerProducerProperties() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, groupId() + "-answers",
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    /**
     * The partial answers: ephemeral like typing (D10), so one broker's ack and no retries beyond a few seconds; a
     * broker out of reach must not hold an answer up for long (the answer itself is what counts).
     */
    public Map<String, Object> streamProducerProperties() {
        return Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, groupId() + "-stream",
                ProducerConfig.ACKS_CONFIG, "1",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.LINGER_MS_CONFIG, (int) linger.toMillis(),
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 2_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class,
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    }

    public Map<String, Object> adminProperties() {
        return Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.CLIENT_ID_CONFIG, groupId() + "-admin");
    }

    /** Names no secret: the database password is masked, and of the model only whether there is one. */
    @Override
    public String toString() {
        return "AssistantConfig[bootstrapServers=" + bootstrapServers + ", topicPrefix=" + topicPrefix
                + ", replicationFactor=" + replicationFactor + ", messageRetention=" + messageRetention
                + ", linger=" + linger + ", database=" + database + ", model=" + (model.isPresent() ? "on" : "off")
                + ", answers=" + answers + "]";
    }
}
