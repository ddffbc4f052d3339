package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.processor.observability.UserMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user side counts the conversation-side repeats it drops, and only those. */
class UserMetersTest {

    @TempDir
    Path stateDir;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void countsEachRepeatDropped() {
        fx = new TopologyFixture(stateDir, Map.of(), new UserMeters(meters));

        fx.fromConversationSide("bob", new Origin(0, 7, 0), 1);
        fx.fromConversationSide("bob", new Origin(0, 7, 0), 1);
        fx.fromConversationSide("bob", new Origin(0, 8, 0), 2);
        fx.fromConversationSide("bob", new Origin(0, 8, 0), 2);
        fx.fromConversationSide("bob", new Origin(0, 9, 0), 3);

        assertEquals(2.0, meters.get(UserMeters.REPEATS_DROPPED).counter().count());
    }
}
