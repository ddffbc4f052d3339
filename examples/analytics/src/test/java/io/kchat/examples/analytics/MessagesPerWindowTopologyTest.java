package io.kchat.examples.analytics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.MessageMeta;
import io.kchat.events.MessageUpdateKind;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.errors.StreamsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessagesPerWindowTopologyTest {

    private static final Instant MINUTE = Instant.parse("2026-11-22T09:41:00Z");
    /** Record timestamps far from the messages' ts: windows must follow ts. */
    private static final Instant RECORD_TIME = Instant.parse("2000-01-01T00:00:00Z");

    @TempDir
    Path stateDir;
    private final List<WindowFigures> reported = new ArrayList<>();
    private TopologyTestDriver driver;
    private TestInputTopic<String, MessageMeta> input;
    private long seq;

    @BeforeEach
    void start() {
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("STATE_DIR", stateDir.toString()));
        Topic<String, MessageMeta> topic = TopicCatalogue.DEFAULT.messageMeta();
        StreamsBuilder builder = new StreamsBuilder();
        MessagesPerWindowTopology.build(builder, topic, config.window(), config.grace(), reported::add);
        driver = new TopologyTestDriver(builder.build(), MessagesPerWindowTopology.config(config));
        input = driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
    }

    @AfterEach
    void stop() {
        driver.close();
    }

    private void message(String conversationId, String senderId, int bodyLength, Instant ts) {
        seq++;
        input.pipeInput(conversationId, new MessageMeta(conversationId, seq, "m-" + seq, senderId, bodyLength, ts, false, null, 0),
                RECORD_TIME.plusMillis(seq));
    }

    private static Instant at(int seconds) {
        return MINUTE.plusSeconds(seconds);
    }

    @Test
    void eachConversationsMinuteIsReportedOnceWhenItClosesWithItsCountsSendersAndChars() {
        message("c1", "alice", 10, at(5));
        message("c1", "alice", 20, at(20));
        message("c2", "carol", 7, at(30));
        message("c1", "bob", 3, at(59));
        message("c1", "bob", 100, at(61)); // the next minute
        assertTrue(reported.isEmpty(), "nothing is final before the end of the window plus its grace: " + reported);

        message("c1", "alice", 1, at(55)); // late, but within the 10 s grace: still counted
        message("c3", "dan", 1, at(70)); // stream time passes 09:42:10, the 09:41 windows close

        assertEquals(List.of(
                new WindowFigures("c1", MINUTE, Duration.ofMinutes(1), 4, 2, 34),
                new WindowFigures("c2", MINUTE, Duration.ofMinutes(1), 1, 1, 7)), sorted(reported));
    }

    @Test
    void aMessageForAWindowAlreadyReportedIsNotCountedAndTheWindowIsNotReportedAgain() {
        message("c1", "alice", 10, at(5));
        message("c1", "alice", 10, at(75));
        assertEquals(1, reported.size());
        message("c1", "bob", 10, at(30)); // past the grace
        message("c1", "bob", 10, at(200)); // closes 09:42 too
        assertEquals(List.of(
                new WindowFigures("c1", MINUTE, Duration.ofMinutes(1), 1, 1, 10),
                new WindowFigures("c1", MINUTE.plusSeconds(60), Duration.ofMinutes(1), 1, 1, 10)), reported);
    }

    @Test
    void editsDeletesAndReactionsAreNotCountedAsMessages() {
        message("c1", "alice", 10, at(5));
        input.pipeInput("c1", new MessageMeta("c1", 1L, "m-1", "bob", 0, at(6), false, MessageUpdateKind.REACTION, 0), at(6));
        input.pipeInput("c1", new MessageMeta("c1", 1L, "m-1", "alice", 12, at(7), false, MessageUpdateKind.EDIT, 0), at(7));
        message("c3", "dan", 1, at(75)); // closes 09:41

        assertEquals(List.of(new WindowFigures("c1", MINUTE, Duration.ofMinutes(1), 1, 1, 10)), reported);
    }

    @Test
    void aWindowOfOtherSizeFollowsTheConfiguration() {
        driver.close();
        reported.clear();
        AnalyticsConfig config = AnalyticsConfig.fromEnv(Map.of("STATE_DIR", stateDir.resolve("small").toString(), "WINDOW", "10s",
                "GRACE", "0s"));
        Topic<String, MessageMeta> topic = TopicCatalogue.DEFAULT.messageMeta();
        StreamsBuilder builder = new StreamsBuilder();
        MessagesPerWindowTopology.build(builder, topic, config.window(), config.grace(), reported::add);
        driver = new TopologyTestDriver(builder.build(), MessagesPerWindowTopology.config(config));
        input = driver.createInputTopic(topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());

        message("c1", "alice", 1, at(1));
        message("c1", "alice", 1, at(9));
        message("c1", "alice", 1, at(10));
        message("c1", "alice", 1, at(25));
        assertEquals(List.of(
                new WindowFigures("c1", at(0), Duration.ofSeconds(10), 2, 1, 2),
                new WindowFigures("c1", at(10), Duration.ofSeconds(10), 1, 1, 1)), reported);
    }

    @Test
    void figuresReadAsOneLine() {
        assertEquals("conversation c-123 minute 2026-11-22T09:41Z: 17 messages, 3 senders, 812 chars",
                new WindowFigures("c-123", MINUTE, Duration.ofMinutes(1), 17, 3, 812).describe());
        assertEquals("conversation c-123 window 2026-11-22T09:41:10Z +PT10S: 1 messages, 1 senders, 5 chars",
                new WindowFigures("c-123", at(10), Duration.ofSeconds(10), 1, 1, 5).describe());
    }

    @Test
    void aRecordItCannotDecodeStopsItRatherThanBeingSkipped() {
        TestInputTopic<String, byte[]> raw = driver.createInputTopic(TopicCatalogue.DEFAULT.messageMeta().name(),
                new StringSerializer(), new ByteArraySerializer());
        byte[] unknownWriterSchema = {(byte) 0xC3, 0x01, 1, 2, 3, 4, 5, 6, 7, 8, 0};
        StreamsException stopped = assertThrows(StreamsException.class, () -> raw.pipeInput("c1", unknownWriterSchema));
        assertTrue(stopped.getMessage().contains("Deserialization exception handler is set to fail"), stopped.getMessage());
    }

    @Test
    void readsOnlyCommittedRecordsAndCountsExactlyOnce() {
        Properties props = MessagesPerWindowTopology.config(AnalyticsConfig.fromEnv(Map.of()));
        assertEquals("read_committed", props.get(StreamsConfig.consumerPrefix(ConsumerConfig.ISOLATION_LEVEL_CONFIG)));
        assertEquals(StreamsConfig.EXACTLY_ONCE_V2, props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG));
        assertEquals("kchat-analytics-example", props.get(StreamsConfig.APPLICATION_ID_CONFIG));
    }

    private static List<WindowFigures> sorted(List<WindowFigures> figures) {
        return figures.stream().sorted((a, b) -> a.conversationId().compareTo(b.conversationId())).toList();
    }
}
