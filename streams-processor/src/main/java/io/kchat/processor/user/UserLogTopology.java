package io.kchat.processor.user;

import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PendingPush;
import io.kchat.events.PresenceChanged;
import io.kchat.events.PushDue;
import io.kchat.events.UserCommand;
import io.kchat.events.UserState;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.streams.OutputKind;
import io.kchat.processor.user.UserSideOutput.DeliveredFrontier;
import io.kchat.processor.user.UserSideOutput.ForNode;
import io.kchat.processor.user.UserSideOutput.PresenceChange;
import io.kchat.processor.user.UserSideOutput.PushOwed;
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
import org.apache.kafka.streams.processor.TopicNameExtractor;
import org.apache.kafka.streams.state.Stores;

/**
 * User side (keyed by user, D4): appends each event addressed to a user to that user's bounded log
 * with a gap-free {@code userSeq}, keeps the device registry with per-device cursors and the user's
 * open sessions, and writes every event, replay and sync marker straight to the egress topic of each gateway node
 * holding sessions it is for (D18: the third and last leg of a message); presence transitions to
 * {@code chat.presence}; and, when a device ack moves the user's delivered frontier, a {@code DeliveredUpTo} per
 * conversation back to {@code chat.inbound}; and, when a burst of messages from others in one conversation waited
 * {@code pushGrace} in a user's log while some device of the user had no session and had not acked it, a
 * {@code PushDue} to {@code chat.push} (D15).
 *
 * <p>Node egress topics are named per record ({@link TopicNameExtractor}), only ever for a node that has its topic
 * ({@link NodeEgress}); they are written in the task's transaction and read uncommitted by the gateways (D3).
 */
public final class UserLogTopology {

    public static final String STATE_STORE = "user-state";
    public static final String LOG_STORE = "user-log";
    public static final int DEFAULT_MAX_EVENTS_PER_USER = 10_000;
    /** The queue age of guarantee 7 and D12. */
    public static final Duration DEFAULT_MAX_EVENT_AGE = Duration.ofDays(30);
    /**
     * How long a message from someone else waits for the user's devices to get it live before the ones that did not
     * are pushed (API.md: PUSH_GRACE_MS, 3 s): long enough for a device that is reconnecting to replay it first.
     */
    public static final Duration DEFAULT_PUSH_GRACE = Duration.ofSeconds(3);

    // The branches of the processor's output; their node names (and those above) are fixed: see ProcessorTopologyTest.
    private static final OutputKind<UserSideOutput, ForNode, Delivery> FOR_NODE =
            new OutputKind<>(ForNode.class, ForNode::delivery);
    private static final OutputKind<UserSideOutput, PresenceChange, PresenceChanged> PRESENCE =
            new OutputKind<>(PresenceChange.class, PresenceChange::change);
    private static final OutputKind<UserSideOutput, DeliveredFrontier, InboundCommand> DELIVERED =
            new OutputKind<>(DeliveredFrontier.class, DeliveredFrontier::command);
    private static final OutputKind<UserSideOutput, PushOwed, PushDue> PUSH =
            new OutputKind<>(PushOwed.class, PushOwed::due);

    private UserLogTopology() {
    }

    public static void build(StreamsBuilder builder, TopicCatalogue topics, int maxEventsPerUser, Duration maxEventAge,
                             Duration deliveredInterval, Duration pushGrace, NodeEgress egress, IdleTicks ticks,
                             UserMetrics metrics) {
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STATE_STORE), Serdes.String(), AvroSerde.of(UserState.class))
                // rewritten by nearly every record: with the cache its changelog gets one record per key and commit
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(LOG_STORE), Serdes.String(), AvroSerde.of(LoggedEvent.class)));
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DeliveredWave.STORE), Serdes.String(), Serdes.String())
                // an entry lives about an interval: with the cache, most reach the changelog only as a tombstone
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PendingPushes.STORE), Serdes.String(), AvroSerde.of(PendingPush.class))
                // a burst is rewritten by each of its messages and lives about a grace: the cache folds them
                .withCachingEnabled());
        builder.addStateStore(Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(PendingPushes.DUE_STORE), Serdes.String(), Serdes.String())
                .withCachingEnabled());

        Topic<String, UserCommand> userInbound = topics.userInbound();
        // every route of a ForNode names one node, which has its topic
        TopicNameExtractor<String, Delivery> egressOfNode = (userId, delivery, context) ->
                topics.egress(delivery.getRoutes().getFirst().getNodeId()).name();
        Topic<String, PresenceChanged> presence = topics.presence();
        Topic<String, InboundCommand> inbound = topics.inbound();
        Topic<String, PushDue> push = topics.push();
        LogRetention retention = new LogRetention(maxEventsPerUser, maxEventAge);

        KStream<String, UserSideOutput> outputs = builder
                .stream(userInbound.name(), Consumed.with(userInbound.keySerde(), userInbound.valueSerde())
                        .withName("user-inbound-source"))
                .process(() -> new UserLogProcessor(retention, egress, new DeliveredWave(deliveredInterval),
                                new PendingPushes(pushGrace), ticks, metrics),
                        Named.as("user-commands"), STATE_STORE, LOG_STORE, DeliveredWave.STORE, PendingPushes.STORE,
                        PendingPushes.DUE_STORE);

        outputs.split(Named.as("user-output-"))
                .branch(FOR_NODE.matches(), Branched.<String, UserSideOutput>withConsumer(delivery -> delivery
                        .mapValues(FOR_NODE.topicValue(), Named.as("as-delivery"))
                        .to(egressOfNode, Produced.with(Serdes.String(), AvroSerde.of(Delivery.class))
                                .withName("node-egress-sink"))).withName("node-egress"))
                .branch(PRESENCE.matches(), Branched.<String, UserSideOutput>withConsumer(change -> change
                        .mapValues(PRESENCE.topicValue(), Named.as("as-presence"))
                        .to(presence.name(), Produced.with(presence.keySerde(), presence.valueSerde())
                                .withName("presence-sink"))).withName("presence"))
                .branch(DELIVERED.matches(), Branched.<String, UserSideOutput>withConsumer(delivered -> delivered
                        .mapValues(DELIVERED.topicValue(), Named.as("as-delivered-command"))
                        .to(inbound.name(), Produced.with(inbound.keySerde(), inbound.valueSerde())
                                .withName("delivered-receipts-sink"))).withName("delivered"))
                .branch(PUSH.matches(), Branched.<String, UserSideOutput>withConsumer(due -> due
                        .mapValues(PUSH.topicValue(), Named.as("as-push-due"))
                        .to(push.name(), Produced.with(push.keySerde(), push.valueSerde())
                                .withName("push-sink"))).withName("push"))
                .noDefaultBranch();
    }
}
