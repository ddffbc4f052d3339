package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SendMessage;
import io.kchat.events.SendRefused;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.observability.Correlation;
import io.kchat.processor.observability.ConversationMeters;
import io.kchat.processor.streams.IdleTicks;
import io.kchat.processor.user.UserMetrics;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The correlation id the gateway puts on an inbound record survives both sides of the topology: the accepted
 * message on chat.messages and every delivery of it on the user side carry the header of the send that caused
 * them, and the counts of sends sequenced, refused and retried are kept.
 */
class CorrelationHeaderTest {

    private static final Instant T0 = TopologyFixture.T0;
    private final TopicCatalogue topics = TopicCatalogue.DEFAULT;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    @TempDir
    Path stateDir;
    private TopologyTestDriver driver;

    @BeforeEach
    void start() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("CHAT_STATE_DIR", stateDir.toString()));
        driver = new TopologyTestDriver(ProcessorTopology.build(config, node -> true, IdleTicks.NONE, IdleTicks.NONE, new ConversationMeters(meters),
                UserMetrics.NONE),
                StreamsSettings.toProperties(config), T0);
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void theSendsIdTravelsToTheArchiveAndToEveryDeliveryOfTheMessage() {
        pipe(topics.inbound(), "c1", inbound(new ConversationChanged(ConversationEventKind.CREATED, "alice", null,
                new ConversationSnapshot("c1", ConversationType.DIRECT, null, List.of(
                        new Member("alice", MemberRole.OWNER), new Member("bob", MemberRole.MEMBER)), 1L, false, false, null))), "create-1");
        pipe(topics.userInbound(), "bob", new UserCommand(new SessionOpened("bob", "bob-phone", "s1", "node-a", T0, null)),
                "session-1");
        List<TestRecord<String, Delivery>> opened = driver.createOutputTopic(topics.egress("node-a").name(),
                topics.egress("node-a").keySerde().deserializer(), topics.egress("node-a").valueSerde().deserializer())
                .readRecordsToList();
        TestRecord<String, Delivery> ready = opened.stream()
                .filter(r -> r.value().getItem() instanceof ReplayStarted).findFirst().orElseThrow();
        assertEquals("session-1", Correlation.of(ready.headers()), "each output carries its own input's id");

        pipe(topics.inbound(), "c1", inbound(new SendMessage("m-1", "alice", "alice-phone", "hi", null, null, List.of(), false)), "3f9a0c1e.m-1");

        List<TestRecord<String, ChatMessage>> archived = driver.createOutputTopic(topics.messages().name(),
                topics.messages().keySerde().deserializer(), topics.messages().valueSerde().deserializer())
                .readRecordsToList();
        assertEquals(1, archived.size());
        assertEquals("3f9a0c1e.m-1", Correlation.of(archived.getFirst().headers()));

        List<TestRecord<String, Delivery>> delivered = driver.createOutputTopic(topics.egress("node-a").name(),
                topics.egress("node-a").keySerde().deserializer(), topics.egress("node-a").valueSerde().deserializer())
                .readRecordsToList().stream()
                .filter(r -> r.value().getItem() instanceof LoggedEvent e && e.getEvent().getPayload() instanceof ChatMessage)
                .toList();
        assertFalse(delivered.isEmpty(), "bob's session gets the message");
        for (TestRecord<String, Delivery> record : delivered) {
            assertEquals("3f9a0c1e.m-1", Correlation.of(record.headers()), record.value().toString());
        }
        assertEquals(1.0, meters.get(ConversationMeters.SEQUENCED).counter().count());
    }

    @Test
    void refusalsAndRetriesAreCountedAndTheRefusalCarriesTheSendsId() {
        pipe(topics.inbound(), "c1", inbound(new SendMessage("x-1", "mallory", "mallory-phone", "let me in", null, null, List.of(), false)),
                "refused-1");
        List<TestRecord<String, UserCommand>> toUsers = driver.createOutputTopic(topics.userInbound().name(),
                topics.userInbound().keySerde().deserializer(), topics.userInbound().valueSerde().deserializer())
                .readRecordsToList();
        assertEquals(1, toUsers.size());
        assertInstanceOf(SendRefused.class, ((UserEvent) toUsers.getFirst().value().getCommand()).getPayload());
        assertEquals("refused-1", Correlation.of(toUsers.getFirst().headers()));
        assertEquals(1.0, meters.get(ConversationMeters.REFUSED).tag("reason", "not_found").counter().count());

        pipe(topics.inbound(), "c2", inbound(new ConversationChanged(ConversationEventKind.CREATED, "alice", null,
                new ConversationSnapshot("c2", ConversationType.GROUP, "g", List.of(
                        new Member("alice", MemberRole.OWNER)), 1L, false, false, null))), "create-2");
        pipe(topics.inbound(), "c2", inbound(new SendMessage("m-1", "alice", "alice-phone", "one", null, null, List.of(), false)), "send-1");
        pipe(topics.inbound(), "c2", inbound(new SendMessage("m-1", "alice", "alice-phone", "one", null, null, List.of(), false)), "send-1-again");
        assertEquals(1.0, meters.get(ConversationMeters.SEQUENCED).counter().count());
        assertEquals(1.0, meters.get(ConversationMeters.DUPLICATES).counter().count());
    }

    private <V> void pipe(Topic<String, V> topic, String key, V value, String correlationId) {
        TestInputTopic<String, V> input = driver.createInputTopic(topic.name(), topic.keySerde().serializer(),
                topic.valueSerde().serializer());
        RecordHeaders headers = new RecordHeaders();
        Correlation.put(headers, correlationId);
        input.pipeInput(new TestRecord<>(key, value, headers, T0));
    }

    private static InboundCommand inbound(Object command) {
        return new InboundCommand("cmd-" + command.hashCode(), T0, command);
    }
}
