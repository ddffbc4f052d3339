package io.kchat.processor.user;

import static io.kchat.events.ConversationEventKind.CREATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.DeviceAck;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRoute;
import io.kchat.processor.TopologyFixture;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserLogTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    private void open(String user, String device, String session, String node) {
        fx.userCommand(user, new SessionOpened(user, device, session, node, fx.now()));
    }

    private static List<Long> userSeqs(List<Delivery> deliveries) {
        return deliveries.stream().filter(d -> d.getItem() instanceof LoggedEvent)
                .map(d -> ((LoggedEvent) d.getItem()).getUserSeq()).toList();
    }

    private void chat(int messages) {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        for (int i = 1; i <= messages; i++) {
            fx.send("c1", "alice", "id-" + i, "m" + i);
        }
    }

    @Test
    void aNewDeviceStartsAtItsRegistrationThenReceivesLiveEventsInUserSeqOrder() {
        fx = new TopologyFixture(stateDir, 10_000);
        chat(2); // bob's log: created, m1, m2 -> userSeq 1..3
        open("bob", "bob-phone", "s1", "node-a");
        List<Delivery> handshake = fx.deliveries();
        assertEquals(2, handshake.size());
        assertEquals(new ReplayStarted("bob-phone", 3L), handshake.get(0).getItem());
        assertEquals(new ReplayFinished(3L), handshake.get(1).getItem());

        fx.send("c1", "alice", "id-9", "live");
        List<Delivery> live = fx.deliveries().stream().filter(d -> d.getUserId().equals("bob")).toList();
        assertEquals(List.of(4L), userSeqs(live));
        assertEquals(List.of(new SessionRoute("node-a", "s1")), live.getFirst().getRoutes());
        assertEquals("live", ((ChatMessage) ((LoggedEvent) live.getFirst().getItem()).getEvent().getPayload()).getBody());
    }

    @Test
    void aReconnectingDeviceGetsItsUnackedTailBeforeSyncedAndOnlyThen() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        open("bob", "bob-phone", "s1", "node-a");
        fx.send("c1", "alice", "id-1", "m1"); // userSeq 2
        fx.userCommand("bob", new DeviceAck("bob", "bob-phone", 2L));
        fx.userCommand("bob", new SessionClosed("bob", "bob-phone", "s1", "node-a", fx.now()));
        fx.deliveries();

        chatMore(3); // userSeq 3..5 while offline: no delivery at all
        assertTrue(fx.deliveries().stream().noneMatch(d -> d.getUserId().equals("bob")));

        open("bob", "bob-phone", "s2", "node-b");
        List<Delivery> replay = fx.deliveries();
        assertEquals(new ReplayStarted("bob-phone", 2L), replay.getFirst().getItem());
        assertEquals(List.of(3L, 4L, 5L), userSeqs(replay));
        assertEquals(new ReplayFinished(5L), replay.getLast().getItem());
        assertTrue(replay.stream().allMatch(d -> d.getRoutes().equals(List.of(new SessionRoute("node-b", "s2")))));
    }

    private void chatMore(int n) {
        for (int i = 0; i < n; i++) {
            fx.send("c1", "alice", "more-" + i, "offline " + i);
        }
    }

    @Test
    void anEventAckedOnOneDeviceStaysForTheOthers() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        open("bob", "phone", "s1", "n");
        open("bob", "laptop", "s2", "n");
        fx.userCommand("bob", new SessionClosed("bob", "laptop", "s2", "n", fx.now()));
        chatMore(2); // userSeq 2, 3
        fx.userCommand("bob", new DeviceAck("bob", "phone", 3L));
        fx.deliveries();

        open("bob", "laptop", "s3", "n");
        assertEquals(List.of(2L, 3L), userSeqs(fx.deliveries()));
    }

    @Test
    void aCursorOlderThanTheBoundedLogGetsGapThenWhatIsKept() {
        fx = new TopologyFixture(stateDir, 3);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        open("bob", "phone", "s1", "n"); // registered at userSeq 1
        fx.userCommand("bob", new SessionClosed("bob", "phone", "s1", "n", fx.now()));
        chatMore(5); // userSeq 2..6, only 4..6 kept
        fx.deliveries();

        open("bob", "phone", "s2", "n");
        List<Delivery> replay = fx.deliveries();
        assertEquals(new ReplayStarted("phone", 1L), replay.get(0).getItem());
        assertEquals(new ReplayGap(4L), replay.get(1).getItem());
        assertEquals(List.of(4L, 5L, 6L), userSeqs(replay));
        assertInstanceOf(ReplayFinished.class, replay.getLast().getItem());
    }

    @Test
    void acksNeverMoveACursorBackOrPastTheLog() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        open("bob", "phone", "s1", "n");
        chatMore(2);
        fx.userCommand("bob", new DeviceAck("bob", "phone", 1_000L));
        fx.userCommand("bob", new DeviceAck("bob", "phone", 1L));
        fx.userCommand("bob", new SessionClosed("bob", "phone", "s1", "n", fx.now()));
        fx.deliveries();
        open("bob", "phone", "s2", "n");
        assertEquals(new ReplayStarted("phone", 3L), fx.deliveries().getFirst().getItem());
    }
}
