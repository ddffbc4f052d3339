package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.events.ChatMessage;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.conversation.ConversationMetrics;
import io.kchat.processor.observability.UserMeters;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user side counts the conversation-side repeats it drops, and only those. */
class UserMetersTest {

    @TempDir
    Path stateDir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyTestDriver driver;

    @AfterEach
    void stop() {
        driver.close();
    }

    @Test
    void countsEachRepeatDropped() {
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("CHAT_STATE_DIR", stateDir.toString()));
        driver = new TopologyTestDriver(ProcessorTopology.build(config, ConversationMetrics.NONE, new UserMeters(meters)),
                StreamsSettings.toProperties(config), TopologyFixture.T0);
        var userInbound = TopicCatalogue.DEFAULT.userInbound();
        TestInputTopic<String, UserCommand> input = driver.createInputTopic(userInbound.name(),
                userInbound.keySerde().serializer(), userInbound.valueSerde().serializer());

        input.pipeInput(fromConversationSide(new Origin(0, 7, 0), 1));
        input.pipeInput(fromConversationSide(new Origin(0, 7, 0), 1));
        input.pipeInput(fromConversationSide(new Origin(0, 8, 0), 2));
        input.pipeInput(fromConversationSide(new Origin(0, 8, 0), 2));
        input.pipeInput(fromConversationSide(new Origin(0, 9, 0), 3));

        assertEquals(2.0, meters.get(UserMeters.REPEATS_DROPPED).counter().count());
    }

    private static TestRecord<String, UserCommand> fromConversationSide(Origin origin, long seq) {
        RecordHeaders headers = new RecordHeaders();
        origin.stamp(headers);
        Instant at = TopologyFixture.T0.plusSeconds(seq);
        ChatMessage message = new ChatMessage("c1", seq, "c1:" + seq, "id-" + seq, "alice", "alice-phone", "m" + seq, at);
        return new TestRecord<>("bob", new UserCommand(new UserEvent("bob", message)), headers, at);
    }
}
