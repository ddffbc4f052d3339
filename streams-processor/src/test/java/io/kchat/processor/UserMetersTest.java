package io.kchat.processor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.events.SessionCheck;
import io.kchat.events.SessionOpened;
import io.kchat.processor.headers.Origin;
import io.kchat.processor.observability.UserMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The user side counts the conversation-side repeats it drops, and only those, and session checks by outcome. */
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

    @Test
    void countsSessionChecksByOutcome() {
        fx = new TopologyFixture(stateDir, Map.of(), new UserMeters(meters));
        fx.userCommand("bob", new SessionOpened("bob", "phone", "s1", "n", fx.now(), "i1"));

        fx.userCommand("bob", new SessionCheck("bob", "phone", "s1", "n", "i1", true, 0L, fx.now()));
        fx.userCommand("bob", new SessionCheck("bob", "phone", "s1", "n", "i1", true, 0L, fx.now()));
        fx.userCommand("bob", new SessionCheck("bob", "phone", "s2", "n", "i1", true, 0L, fx.now()));
        fx.userCommand("bob", new SessionCheck("bob", "tablet", "s3", "n", "i1", true, 0L, fx.now()));

        assertEquals(2.0, checks("known"));
        assertEquals(1.0, checks("reopened"));
        assertEquals(1.0, checks("revoked"));
        assertEquals(0.0, checks("replayed"), "every outcome is there before it happens");
    }

    @Test
    void countsEachItemForANodeWithoutEgressTopicAndWritesItNowhere() {
        fx = new TopologyFixture(stateDir, Map.of(), new UserMeters(meters));
        fx.userCommand("bob", new SessionOpened("bob", "phone", "s1", TopologyFixture.GONE_NODE, fx.now(), "i1"));

        assertEquals(List.of(), fx.egressNodes(), "nothing written for a gone node");
        // ReplayStarted and ReplayFinished of the session's (empty) replay
        assertEquals(2.0, meters.get(UserMeters.ROUTES_DROPPED).counter().count());
    }

    private double checks(String outcome) {
        return meters.get(UserMeters.SESSION_CHECKS).tag("outcome", outcome).counter().count();
    }
}
