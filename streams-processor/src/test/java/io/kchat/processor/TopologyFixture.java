package io.kchat.processor;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.PresenceChanged;
import io.kchat.events.PushDue;
import io.kchat.events.Receipt;
import io.kchat.events.SendMessage;
import io.kchat.events.StreamTick;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.conversation.ConversationMetrics;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.user.UserMetrics;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/** A TopologyTestDriver over the real topology and settings, with helpers to speak its topics. */
public final class TopologyFixture implements AutoCloseable {

    public static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    /** The one gateway node without an egress topic: every other node has one. */
    public static final String GONE_NODE = "gone";

    public final TopologyTestDriver driver;
    public final TopicCatalogue topics = TopicCatalogue.DEFAULT;
    /** The times of the ticks the user side asked for ({@link io.kchat.processor.streams.IdleTicks}), in order. */
    public final List<Long> ticksAsked = new ArrayList<>();
    /** The times of the ticks the conversation side asked for, in order. */
    public final List<Long> inboundTicksAsked = new ArrayList<>();
    private Instant clock = T0;
    private long commandCounter;

    public TopologyFixture(Path stateDir, int maxEventsPerUser) {
        this(stateDir, Map.of("USER_LOG_MAX_EVENTS", Integer.toString(maxEventsPerUser)));
    }

    /** The processor configured from {@code env} (defaults for everything it leaves out). */
    public TopologyFixture(Path stateDir, Map<String, String> env) {
        this(stateDir, env, UserMetrics.NONE);
    }

    /** As above, the user side counting into {@code userMetrics}. */
    public TopologyFixture(Path stateDir, Map<String, String> env, UserMetrics userMetrics) {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("CHAT_STATE_DIR", stateDir.toString());
        ProcessorConfig config = ProcessorConfig.fromEnv(settings);
        Topology topology = ProcessorTopology.build(config, node -> !GONE_NODE.equals(node),
                (partition, at) -> inboundTicksAsked.add(at), (partition, at) -> ticksAsked.add(at),
                ConversationMetrics.NONE, userMetrics);
        Properties props = StreamsSettings.toProperties(config);
        this.driver = new TopologyTestDriver(topology, props, T0);
    }

    public <K, V> TestInputTopic<K, V> input(Topic<K, V> topic) {
        return driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    public <K, V> TestOutputTopic<K, V> output(Topic<K, V> topic) {
        return driver.createOutputTopic(topic.name(), topic.keySerde().deserializer(), topic.valueSerde().deserializer());
    }

    /** Pipes an inbound command stamped like the gateway does, one second after the previous one. */
    public void inbound(String conversationId, Object command) {
        inboundAfter(Duration.ofSeconds(1), conversationId, command);
    }

    /** An inbound command stamped {@code after} the previous input. */
    public void inboundAfter(Duration after, String conversationId, Object command) {
        clock = clock.plus(after);
        input(topics.inbound()).pipeInput(conversationId,
                new InboundCommand("cmd-" + (++commandCounter), clock, command), clock);
    }

    public void userCommand(String userId, Object command) {
        userCommandAfter(Duration.ofSeconds(1), userId, command);
    }

    /** A user command stamped {@code after} the previous input. */
    public void userCommandAfter(Duration after, String userId, Object command) {
        clock = clock.plus(after);
        input(topics.userInbound()).pipeInput(userId, new UserCommand(command), clock);
    }

    /** A StreamTick stamped {@code at} to chat.inbound, as the processor writes it: no key. */
    public void inboundTick(Instant at) {
        clock = at;
        input(topics.inbound()).pipeInput(null, new InboundCommand("stream-tick", at, new StreamTick(at)), at);
    }

    /** A StreamTick stamped {@code at} to chat.user-inbound, as the processor writes it: no key. */
    public void streamTick(Instant at) {
        clock = at;
        input(topics.userInbound()).pipeInput(null, new UserCommand(new StreamTick(at)), at);
    }

    /**
     * Pipes message {@code seq} of c1 (sent by alice) to {@code userId}'s log as the conversation side writes it from
     * {@code origin}: the same origin twice is a repeat.
     */
    public void fromConversationSide(String userId, Origin origin, long seq) {
        clock = clock.plusSeconds(1);
        RecordHeaders headers = new RecordHeaders();
        origin.stamp(headers);
        ChatMessage message = new ChatMessage("c1", seq, "c1:" + seq, "id-" + seq, "alice", "alice-phone", "m" + seq,
                clock, null, null, List.of(), false);
        input(topics.userInbound()).pipeInput(new TestRecord<>(userId,
                new UserCommand(new UserEvent(userId, message)), headers, clock));
    }

    public void send(String conversationId, String senderId, String clientId, String body) {
        inbound(conversationId, new SendMessage(clientId, senderId, senderId + "-phone", body, null, null, List.of(), false));
    }

    public void conversation(String conversationId, ConversationEventKind kind, long version, String actor,
                             String... memberIds) {
        conversation(conversationId, kind, version, false, actor, memberIds);
    }

    /** As above; {@code blocked}: a direct conversation whose members are separated by a block. */
    public void conversation(String conversationId, ConversationEventKind kind, long version, boolean blocked,
                             String actor, String... memberIds) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < memberIds.length; i++) {
            members.add(new Member(memberIds[i], i == 0 ? MemberRole.OWNER : MemberRole.MEMBER));
        }
        ConversationType type = memberIds.length == 2 ? ConversationType.DIRECT : ConversationType.GROUP;
        inbound(conversationId, new ConversationChanged(kind, actor, null,
                new ConversationSnapshot(conversationId, type, null, members, version, blocked, false, null)));
    }

    public List<ChatMessage> messages() {
        return output(topics.messages()).readValuesToList();
    }

    /**
     * What the user side wrote to node egress topics since the last call, topic by topic in name order (the order
     * within one node's topic is the order written; across nodes it is not kept).
     */
    public List<Delivery> deliveries() {
        List<Delivery> written = new ArrayList<>();
        for (String node : egressNodes()) {
            written.addAll(output(topics.egress(node)).readValuesToList());
        }
        return written;
    }

    /** What the user side wrote to {@code nodeId}'s egress topic since the last call. */
    public List<Delivery> deliveriesTo(String nodeId) {
        return output(topics.egress(nodeId)).readValuesToList();
    }

    /** The nodes whose egress topics were written so far, in name order. */
    public List<String> egressNodes() {
        String prefix = topics.egress("").name();
        return driver.producedTopicNames().stream().filter(name -> name.startsWith(prefix))
                .map(name -> name.substring(prefix.length())).sorted().toList();
    }

    public List<Receipt> receipts() {
        return output(topics.receipts()).readValuesToList();
    }

    public List<PresenceChanged> presence() {
        return output(topics.presence()).readValuesToList();
    }

    /** What the topology itself wrote to chat.inbound (the user side's delivered frontiers), since the last call. */
    public List<KeyValue<String, InboundCommand>> inboundWritten() {
        return output(topics.inbound()).readKeyValuesToList();
    }

    /** What the user side wrote to chat.push since the last call, keyed by user. */
    public List<KeyValue<String, PushDue>> pushesDue() {
        return output(topics.push()).readKeyValuesToList();
    }

    public Instant now() {
        return clock;
    }

    public void advance(Duration duration) {
        clock = clock.plus(duration);
    }

    @Override
    public void close() {
        driver.close();
    }
}
