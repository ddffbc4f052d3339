package io.kchat.processor.conversation;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationState;
import io.kchat.events.InboundCommand;
import io.kchat.events.MessageFacts;
import io.kchat.events.MessageMeta;
import io.kchat.events.MessageUpdate;
import io.kchat.events.Receipt;
import io.kchat.events.UserCommand;
import io.kchat.processor.conversation.ConversationSideOutput.Accepted;
import io.kchat.processor.conversation.ConversationSideOutput.ForMember;
import io.kchat.processor.conversation.ConversationSideOutput.ReceiptApplied;
import io.kchat.processor.conversation.ConversationSideOutput.UpdateApplied;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.streams.OutputKind;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.Stores;

/**
 * Conversation side (keyed by conversation, D1): dedupes sends by (conversation, sender, id) over a
 * window (D7), authorizes against the membership applied so far, assigns the gap-free {@code seq},
 * keeps members' read and delivered cursors, writes accepted messages to {@code chat.messages} (and their
 * content-free metadata to {@code chat.message-meta}, in the same transaction) and receipts to
 * {@code chat.receipts}, and fans every event out to its members' logs on {@code chat.user-inbound}. Receipts cross at
 * most once per conversation and interval ({@link ReceiptWave}).
 */
public final class ConversationTopology {

    public static final String STATE_STORE = "conversation-state";
    public static final String DEDUPE_STORE = "conversation-dedupe";
    /** What each accepted message's edits, deletes and reactions are judged against (D13), key: conversation and seq. */
    public static final String FACTS_STORE = "conversation-message-facts";
    /** The updateIds of accepted edits, deletes and reactions by (conversation, user, id), over the dedupe window. */
    public static final String UPDATE_DEDUPE_STORE = "conversation-update-dedupe";
    public static final Duration DEFAULT_DEDUPE_WINDOW = Duration.ofDays(7);

    // The branches of the processor's output; their node names (and those above) are fixed: see ProcessorTopologyTest.
    private static final OutputKind<ConversationSideOutput, Accepted, ChatMessage> ACCEPTED =
            new OutputKind<>(Accepted.class, Accepted::message);
    private static final OutputKind<ConversationSideOutput, UpdateApplied, MessageUpdate> UPDATE =
            new OutputKind<>(UpdateApplied.class, UpdateApplied::update);
    private static final OutputKind<ConversationSideOutput, ReceiptApplied, Receipt> RECEIPT =
            new OutputKind<>(ReceiptApplied.class, ReceiptApplied::receipt);
    private static final OutputKind<ConversationSideOutput, ForMember, UserCommand> FOR_MEMBER =
            new OutputKind<>(ForMember.class, ForMember::command);

    private ConversationTopology() {
    }

    /** Receipts go at once, and no idle partition gets a tick: for tests. */
    public static void build(StreamsBuilder builder, TopicCatalogue topics, Duration dedupeWindow) {
        build(builder, topics, dedupeWindow, Duration.ZERO, IdleTicks.NONE, ConversationMetrics.NONE);
    }

    /**
     * @param receiptInterval how often at most a conversation's receipts cross to its members ({@link ReceiptWave})
     * @param ticks           writes a tick to a chat.inbound partition whose time stood still while receipts waited
     */
    public static void build(StreamsBuilder builder, TopicCatalogue topics, Duration dedupeWindow,
                             Duration receiptInterval, IdleTicks ticks, ConversationMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), AvroSerde.of(ConversationState.class))
                // rewritten by nearly every record: with the cache its changelog gets one record per key and commit
                .withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(DEDUPE_STORE, dedupeWindow, dedupeWindow, false),
                Serdes.String(), AvroSerde.of(ChatMessage.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(FACTS_STORE), Serdes.String(), AvroSerde.of(MessageFacts.class))
                .withCachingEnabled());
        builder.addStateStore(Stores.windowStoreBuilder(
                Stores.persistentWindowStore(UPDATE_DEDUPE_STORE, dedupeWindow, dedupeWindow, false),
                Serdes.String(), Serdes.String()));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(ReceiptWave.STORE), Serdes.String(), Serdes.String())
                // an entry lives about an interval: with the cache, most reach the changelog only as a tombstone
                .withCachingEnabled());

        Topic<String, InboundCommand> inbound = topics.inbound();
        Topic<String, ChatMessage> messages = topics.messages();
        Topic<String, MessageMeta> messageMeta = topics.messageMeta();
        Topic<String, MessageUpdate> messageUpdates = topics.messageUpdates();
        Topic<String, Receipt> receipts = topics.receipts();
        Topic<String, UserCommand> userInbound = topics.userInbound();

        KStream<String, ConversationSideOutput> outputs = builder
                .stream(inbound.name(), Consumed.with(inbound.keySerde(), inbound.valueSerde()).withName("inbound-source"))
                .process(() -> new ConversationCommandProcessor(dedupeWindow, new ReceiptWave(receiptInterval), ticks,
                        metrics), Named.as("conversation-commands"), STATE_STORE, DEDUPE_STORE, ReceiptWave.STORE,
                        FACTS_STORE, UPDATE_DEDUPE_STORE);

        outputs.split(Named.as("conversation-output-"))
                .branch(ACCEPTED.matches(), Branched.<String, ConversationSideOutput>withConsumer(accepted -> {
                    KStream<String, ChatMessage> message = accepted.mapValues(ACCEPTED.topicValue(),
                            Named.as("as-chat-message"));
                    message.to(messages.name(), Produced.with(messages.keySerde(), messages.valueSerde())
                            .withName("messages-sink"));
                    // The same task's transaction as the message: a read_committed reader sees both or neither.
                    message.mapValues(MessageMetadata::of, Named.as("as-message-meta"))
                            .to(messageMeta.name(), Produced.with(messageMeta.keySerde(), messageMeta.valueSerde())
                                    .withName("message-meta-sink"));
                }).withName("accepted"))
                .branch(UPDATE.matches(), Branched.<String, ConversationSideOutput>withConsumer(accepted -> {
                    KStream<String, MessageUpdate> update = accepted.mapValues(UPDATE.topicValue(),
                            Named.as("as-message-update"));
                    update.to(messageUpdates.name(), Produced.with(messageUpdates.keySerde(),
                            messageUpdates.valueSerde()).withName("message-updates-sink"));
                    update.mapValues(MessageMetadata::of, Named.as("as-update-meta"))
                            .to(messageMeta.name(), Produced.with(messageMeta.keySerde(), messageMeta.valueSerde())
                                    .withName("update-meta-sink"));
                }).withName("updates"))
                .branch(RECEIPT.matches(), Branched.<String, ConversationSideOutput>withConsumer(receipt -> receipt
                        .mapValues(RECEIPT.topicValue(), Named.as("as-receipt"))
                        .to(receipts.name(), Produced.with(receipts.keySerde(), receipts.valueSerde())
                                .withName("receipts-sink"))).withName("receipts"))
                .branch(FOR_MEMBER.matches(), Branched.<String, ConversationSideOutput>withConsumer(fanOut -> fanOut
                        .mapValues(FOR_MEMBER.topicValue(), Named.as("as-user-command"))
                        .to(userInbound.name(), Produced.with(userInbound.keySerde(), userInbound.valueSerde())
                                .withName("fan-out-sink"))).withName("fan-out"))
                .noDefaultBranch();
    }
}
