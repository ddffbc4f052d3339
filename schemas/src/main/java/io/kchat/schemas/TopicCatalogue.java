package io.kchat.schemas;

import io.kchat.events.AssistantStop;
import io.kchat.events.AssistantStream;
import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.MessageMeta;
import io.kchat.events.MessageUpdate;
import io.kchat.events.PresenceChanged;
import io.kchat.events.PushDue;
import io.kchat.events.Receipt;
import io.kchat.events.Typing;
import io.kchat.events.UserCommand;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Every topic of the system. Partition counts are fixed per deployment (D6) and equal across
 * co-partitioned topics: the conversation key space ({@link #INBOUND}, {@link #MESSAGES},
 * {@link #MESSAGE_META}, {@link #RECEIPTS}, {@link #TYPING}) and the user key space ({@link #USER_INBOUND},
 * {@link #PRESENCE}). Changing one is a migration to new topics, never an in-place change.
 *
 * <p>An instance binds the constants to a name prefix ({@code CHAT_TOPIC_PREFIX}); tests use a unique
 * prefix each so that they share one broker. Its {@code messageRetention} ({@code MESSAGE_RETENTION}) is how long the
 * topics that hold messages or what they say keep their records; it matters where a service creates a missing topic.
 */
public record TopicCatalogue(String prefix, Duration messageRetention) {

    public static final int CONVERSATION_PARTITIONS = 6;
    public static final int USER_PARTITIONS = 6;
    /** One partition per node egress: a node's frames for one user stay in order, and one consumer reads it. */
    public static final int EGRESS_PARTITIONS = 1;
    /** Dead letters are rare and read by people: one partition keeps them in the order they were set aside. */
    public static final int DEAD_LETTER_PARTITIONS = 1;
    /** One record per processor application id, read whole at each start: one partition is all it needs. */
    public static final int PROCESSOR_SETTINGS_PARTITIONS = 1;

    /** Queue age (30 days) plus the longest tolerated archiver outage (7 days), D12. */
    public static final Duration DEFAULT_MESSAGE_RETENTION = Duration.ofDays(37);
    private static final Duration LOG_RETENTION = DEFAULT_MESSAGE_RETENTION;

    public static final Topic<String, InboundCommand> INBOUND = new Topic<>(
            "chat.inbound", Serdes.String(), AvroSerde.of(InboundCommand.class),
            CONVERSATION_PARTITIONS, LOG_RETENTION, Map.of());

    /** Accepted messages in conversation order: the analytics log and the archive's source. */
    public static final Topic<String, ChatMessage> MESSAGES = new Topic<>(
            "chat.messages", Serdes.String(), AvroSerde.of(ChatMessage.class),
            CONVERSATION_PARTITIONS, LOG_RETENTION, Map.of());

    /**
     * Accepted edits, deletes and reactions (D13) in conversation order, written in the same transaction as the fan-out
     * to the members' logs: the archive's source for a message's current state. Co-partitioned with {@link #MESSAGES}
     * and kept as long; a message's updates always come after the message itself.
     */
    public static final Topic<String, MessageUpdate> MESSAGE_UPDATES = new Topic<>(
            "chat.message-updates", Serdes.String(), AvroSerde.of(MessageUpdate.class),
            CONVERSATION_PARTITIONS, LOG_RETENTION, Map.of());

    /**
     * One record per accepted message without its content ({@link MessageMeta}), written in the same transaction
     * as {@link #MESSAGES} and co-partitioned with it: for analytics that must not see bodies. Kept as long as
     * {@link #MESSAGES}, so both cover the same messages.
     */
    public static final Topic<String, MessageMeta> MESSAGE_META = new Topic<>(
            "chat.message-meta", Serdes.String(), AvroSerde.of(MessageMeta.class),
            CONVERSATION_PARTITIONS, LOG_RETENTION, Map.of());

    /**
     * Delivered and read receipts as the conversation side applied them (key: conversationId), in
     * conversation order: the read models' source for read/delivered cursors, and for analytics.
     */
    public static final Topic<String, Receipt> RECEIPTS = new Topic<>(
            "chat.receipts", Serdes.String(), AvroSerde.of(Receipt.class),
            CONVERSATION_PARTITIONS, LOG_RETENTION, Map.of());

    /** Typing notices (key: conversationId). Ephemeral: written without transactions, kept one minute (D10). */
    public static final Topic<String, Typing> TYPING = new Topic<>(
            "chat.typing", Serdes.String(), AvroSerde.of(Typing.class),
            CONVERSATION_PARTITIONS, Duration.ofMinutes(1), Map.of());

    /**
     * The assistant's answers as they stream in (key: conversationId), relayed by the delivery-service to the asker's
     * open sessions. Ephemeral like typing: written without transactions, kept one minute (D10, D15).
     */
    public static final Topic<String, AssistantStream> ASSISTANT_STREAM = new Topic<>(
            "chat.assistant-stream", Serdes.String(), AvroSerde.of(AssistantStream.class),
            CONVERSATION_PARTITIONS, Duration.ofMinutes(1), Map.of());

    /**
     * Requests to stop an answer (key: conversationId), written by the gateway for the {@code assistant_stop} frame.
     * One partition: every assistant worker reads all of it from its end, since any instance may be writing the answer.
     */
    public static final Topic<String, AssistantStop> ASSISTANT_CONTROL = new Topic<>(
            "chat.assistant-control", Serdes.String(), AvroSerde.of(AssistantStop.class),
            1, Duration.ofHours(1), Map.of());

    /** A user's online/offline transitions as the user side saw them (key: userId). */
    public static final Topic<String, PresenceChanged> PRESENCE = new Topic<>(
            "chat.presence", Serdes.String(), AvroSerde.of(PresenceChanged.class),
            USER_PARTITIONS, Duration.ofDays(1), Map.of());

    /** Input of the user side: fan-out from conversations, session events and device acks. */
    public static final Topic<String, UserCommand> USER_INBOUND = new Topic<>(
            "chat.user-inbound", Serdes.String(), AvroSerde.of(UserCommand.class),
            USER_PARTITIONS, LOG_RETENTION, Map.of());

    /**
     * The key and value serdes of every node egress topic ({@link #egress}): per-user items with the sessions they
     * are for, durable ones with their userSeq; read uncommitted by the node (D3).
     */
    private static final Serde<String> EGRESS_KEYS = Serdes.String();
    private static final Serde<Delivery> EGRESS_VALUES = AvroSerde.of(Delivery.class);

    /**
     * Pushes due (D15): one record per user, conversation and burst of messages that waited {@code PUSH_GRACE_MS} in
     * the user's log while some device had no open session and had not acked it; written by the user side in its
     * transaction, read read_committed by the push sender. No content. Kept a day: a push older than that is no news.
     */
    public static final Topic<String, PushDue> PUSH = new Topic<>(
            "chat.push", Serdes.String(), AvroSerde.of(PushDue.class),
            USER_PARTITIONS, Duration.ofDays(1), Map.of());

    /** Change data of the users table (JSON rows, key: userId), relayed by CDC for the user side and analytics. */
    public static final Topic<String, String> CDC_USERS = new Topic<>(
            "chat.cdc.users", Serdes.String(), Serdes.String(), USER_PARTITIONS, null,
            Map.of("cleanup.policy", "compact"));

    /** Change data of the devices table (JSON rows, key: userId), relayed by CDC. */
    public static final Topic<String, String> CDC_DEVICES = new Topic<>(
            "chat.cdc.devices", Serdes.String(), Serdes.String(), USER_PARTITIONS, null,
            Map.of("cleanup.policy", "compact"));

    /**
     * The processor's input records it could not decode, or whose processing failed on every attempt, set aside so
     * that their partition goes on: the record's own key, value and headers, plus Kafka Streams' {@code
     * __streams.errors.*} headers (source topic, partition and offset, exception class, message and stack trace).
     * For operators; no service reads it. Kept as long as the inputs it comes from.
     */
    public static final Topic<byte[], byte[]> PROCESSOR_DEAD_LETTERS = new Topic<>(
            "chat.processor-dead-letters", Serdes.ByteArray(), Serdes.ByteArray(),
            DEAD_LETTER_PARTITIONS, LOG_RETENTION, Map.of());

    /**
     * The settings that change the processor's output, as its committed state was built with them (key: the
     * application id, value: their description, such as {@code dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d}).
     * D2 only holds while they stay the same: a processor whose settings differ refuses to start. Compacted and kept
     * for ever: the latest description per application id is the one that counts.
     */
    public static final Topic<String, String> PROCESSOR_SETTINGS = new Topic<>(
            "chat.processor-settings", Serdes.String(), Serdes.String(), PROCESSOR_SETTINGS_PARTITIONS, null,
            Map.of("cleanup.policy", "compact"));

    public static final TopicCatalogue DEFAULT = new TopicCatalogue("");

    public TopicCatalogue {
        if (prefix == null) {
            prefix = "";
        }
        if (messageRetention == null || messageRetention.isNegative() || messageRetention.isZero()) {
            throw new IllegalArgumentException("messageRetention must be positive: " + messageRetention);
        }
    }

    /** With the default retention of the message topics. */
    public TopicCatalogue(String prefix) {
        this(prefix, DEFAULT_MESSAGE_RETENTION);
    }

    public Topic<String, InboundCommand> inbound() {
        return INBOUND.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, ChatMessage> messages() {
        return MESSAGES.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, MessageUpdate> messageUpdates() {
        return MESSAGE_UPDATES.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, MessageMeta> messageMeta() {
        return MESSAGE_META.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, UserCommand> userInbound() {
        return USER_INBOUND.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, Receipt> receipts() {
        return RECEIPTS.withPrefix(prefix).withRetention(messageRetention);
    }

    public Topic<String, Typing> typing() {
        return TYPING.withPrefix(prefix);
    }

    public Topic<String, AssistantStream> assistantStream() {
        return ASSISTANT_STREAM.withPrefix(prefix);
    }

    public Topic<String, AssistantStop> assistantControl() {
        return ASSISTANT_CONTROL.withPrefix(prefix);
    }

    public Topic<String, PresenceChanged> presence() {
        return PRESENCE.withPrefix(prefix);
    }

    public Topic<String, PushDue> push() {
        return PUSH.withPrefix(prefix);
    }

    public Topic<String, String> cdcUsers() {
        return CDC_USERS.withPrefix(prefix);
    }

    public Topic<String, String> cdcDevices() {
        return CDC_DEVICES.withPrefix(prefix);
    }

    public Topic<byte[], byte[]> processorDeadLetters() {
        return PROCESSOR_DEAD_LETTERS.withPrefix(prefix);
    }

    public Topic<String, String> processorSettings() {
        return PROCESSOR_SETTINGS.withPrefix(prefix);
    }

    /**
     * The egress of one gateway node (D5, D18): only the frames for sessions held by that node, written by the user
     * side and the delivery-service's ephemeral fan-out. Short retention: a restarted node has new sessions and
     * starts from the end. Cheap to call per record: every egress topic shares one pair of serdes.
     */
    public Topic<String, Delivery> egress(String nodeId) {
        return new Topic<>(prefix + "chat.egress." + nodeId, EGRESS_KEYS, EGRESS_VALUES,
                EGRESS_PARTITIONS, Duration.ofHours(1), Map.of());
    }

    /** The shared topics every deployment has (node egress topics are created by their node). */
    public List<Topic<?, ?>> shared() {
        return List.of(inbound(), messages(), messageUpdates(), messageMeta(), receipts(), typing(), userInbound(), presence(),
                push(), cdcUsers(), cdcDevices(), processorDeadLetters(), processorSettings(), assistantStream(),
                assistantControl());
    }
}
