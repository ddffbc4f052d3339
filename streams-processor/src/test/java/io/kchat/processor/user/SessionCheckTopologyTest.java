package io.kchat.processor.user;

import static io.kchat.events.ConversationEventKind.CREATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.Delivery;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.LoggedEvent;
import io.kchat.events.OpenSession;
import io.kchat.events.PresenceChanged;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionCheck;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRevoked;
import io.kchat.events.SessionRoute;
import io.kchat.events.SessionsRevoked;
import io.kchat.events.UserState;
import io.kchat.processor.TopologyFixture;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.TestOutputTopic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Incarnation cleanup and the gateway's SessionCheck: the safety net of session routing. */
class SessionCheckTopologyTest {

    /** Where the user state store's writes go: one record per put (the test driver commits after each input). */
    private static final String STATE_CHANGELOG = "kchat-processor-" + UserLogTopology.STATE_STORE + "-changelog";

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    private void open(String device, String session, String node, String incarnation) {
        fx.userCommand("bob", new SessionOpened("bob", device, session, node, fx.now(), incarnation));
    }

    private void check(String device, String session, String node, String incarnation, boolean started,
                       long receivedUpTo) {
        fx.userCommand("bob", new SessionCheck("bob", device, session, node, incarnation, started, receivedUpTo,
                fx.now()));
    }

    /** Bob's phone connected as s1 on n (incarnation i1) with the log at 1, then {@code events} more: 2..1+events. */
    private void bobsPhoneWith(int maxEventsPerUser, int events) {
        fx = new TopologyFixture(stateDir, maxEventsPerUser);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // bob's userSeq 1
        open("phone", "s1", "n", "i1");
        for (int i = 1; i <= events; i++) {
            fx.send("c1", "alice", "id-" + i, "m" + i);
        }
        fx.deliveries();
        fx.presence();
    }

    private UserState state() {
        return fx.driver.<String, UserState>getKeyValueStore(UserLogTopology.STATE_STORE).get("bob");
    }

    private List<String> sessionIds() {
        return state().getSessions().stream().map(OpenSession::getSessionId).toList();
    }

    private List<Delivery> bobsDeliveries() {
        return fx.deliveries().stream().filter(d -> d.getUserId().equals("bob")).toList();
    }

    private static List<Long> userSeqs(List<Delivery> deliveries) {
        return deliveries.stream().filter(d -> d.getItem() instanceof LoggedEvent)
                .map(d -> ((LoggedEvent) d.getItem()).getUserSeq()).toList();
    }

    private static void allTo(List<Delivery> deliveries, String node, String session) {
        List<SessionRoute> route = List.of(new SessionRoute(node, session));
        assertTrue(deliveries.stream().allMatch(d -> d.getRoutes().equals(route)), "only to " + session + ": " + deliveries);
    }

    @Test
    void anOpenFromARestartedNodeDropsTheSessionsOfItsGoneProcessOnly() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("phone", "s1", "n1", "a");
        open("laptop", "s2", "n2", "x");
        open("tablet", "s3", "n1", null); // opened before incarnations existed: cannot be judged
        open("watch", "s4", "n1", "b"); // n1 restarted: process a is gone

        assertEquals(List.of(new OpenSession("laptop", "s2", "n2", "x", 0L),
                new OpenSession("tablet", "s3", "n1", null, 0L), new OpenSession("watch", "s4", "n1", "b", 0L)), state().getSessions());
        fx.deliveries();
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        // one copy per node (fx.deliveries() reads n1's topic, then n2's)
        assertEquals(List.of(List.of(new SessionRoute("n1", "s3"), new SessionRoute("n1", "s4")),
                List.of(new SessionRoute("n2", "s2"))), bobsDeliveries().stream().map(Delivery::getRoutes).toList());
    }

    @Test
    void replacingTheOnlyStaleSessionOnTheRestartedNodeDoesNotFlapPresence() {
        fx = new TopologyFixture(stateDir, 10_000);
        Instant online = fx.now();
        open("phone", "s1", "n", "a");
        open("phone", "s2", "n", "b");

        assertEquals(List.of(new PresenceChanged("bob", true, online)), fx.presence());
        assertEquals(List.of("s2"), sessionIds());
    }

    @Test
    void aCheckOfASessionTheUserSideDoesNotRouteToOpensItAndReplaysItsDevice() {
        bobsPhoneWith(10_000, 0);
        fx.userCommand("bob", new SessionClosed("bob", "phone", "s1", "n", fx.now())); // the phone's cursor at 1
        fx.send("c1", "alice", "id-2", "while away"); // 2
        fx.send("c1", "alice", "id-3", "still away"); // 3
        fx.presence();
        fx.deliveries();

        // a socket whose SessionOpened was lost, up to date by its own account: known is what matters first
        Instant checkedAt = fx.now();
        check("phone", "s2", "n", "i1", true, 3L);

        List<Delivery> replay = bobsDeliveries();
        assertEquals(new ReplayStarted("phone", 1L), replay.getFirst().getItem());
        assertEquals(List.of(2L, 3L), userSeqs(replay));
        assertEquals(new ReplayFinished(3L), replay.getLast().getItem());
        assertEquals(4, replay.size());
        allTo(replay, "n", "s2");
        assertEquals(List.of(new PresenceChanged("bob", true, checkedAt)), fx.presence());
        assertEquals(List.of(new OpenSession("phone", "s2", "n", "i1", 3L)), state().getSessions(),
                "re-opened with its whole replay: a later check re-sends nothing up to 3");

        fx.send("c1", "alice", "id-4", "live");
        List<Delivery> live = bobsDeliveries();
        assertEquals(List.of(4L), userSeqs(live));
        allTo(live, "n", "s2");
    }

    @Test
    void aCheckOfASessionWhoseReplayNeverBeganGetsItAgain() {
        bobsPhoneWith(10_000, 2); // the phone registered at 1; 2, 3 went live

        check("phone", "s1", "n", "i1", false, 0L);

        List<Delivery> replay = bobsDeliveries();
        assertEquals(List.of(new ReplayStarted("phone", 1L), new ReplayFinished(3L)),
                List.of(replay.getFirst().getItem(), replay.getLast().getItem()));
        assertEquals(List.of(2L, 3L), userSeqs(replay));
        assertEquals(4, replay.size());
        allTo(replay, "n", "s1");
        assertTrue(fx.presence().isEmpty());
        assertEquals(List.of("s1"), sessionIds());
    }

    @Test
    void aCheckOfASessionBehindGetsExactlyTheEventsItLacksInOrder() {
        bobsPhoneWith(10_000, 5); // 2..6 went live
        open("laptop", "s2", "n2", "j1");
        fx.deliveries();

        check("phone", "s1", "n", "i1", true, 3L);

        List<Delivery> resent = bobsDeliveries();
        assertEquals(List.of(4L, 5L, 6L), userSeqs(resent));
        assertEquals(3, resent.size(), "the events only, no replay markers: " + resent);
        allTo(resent, "n", "s1");
    }

    @Test
    void laterChecksOfALaggingSessionSendOnlyWhatCameSinceTheLastResend() {
        bobsPhoneWith(10_000, 5); // 2..6 went live

        check("phone", "s1", "n", "i1", true, 3L);
        assertEquals(List.of(4L, 5L, 6L), userSeqs(bobsDeliveries()));
        fx.send("c1", "alice", "id-7", "more"); // 7, live
        bobsDeliveries();

        // the socket still holds up to 3: late (a stalled delivery path) or lost, a check cannot tell
        check("phone", "s1", "n", "i1", true, 3L);
        assertEquals(List.of(7L), userSeqs(bobsDeliveries()), "4..6 were sent again once already");
        check("phone", "s1", "n", "i1", true, 3L);
        assertEquals(List.of(), bobsDeliveries(), "everything it lacks went again once: the gateway's last resort");
        assertEquals(7L, state().getSessions().getFirst().getCheckedUpTo());
    }

    @Test
    void laterChecksOfASessionStillWithoutItsReplaySendOnlyWhatCameSinceAndTheEnd() {
        bobsPhoneWith(10_000, 2); // the phone registered at 1; 2, 3 went live

        check("phone", "s1", "n", "i1", false, 0L);
        assertEquals(List.of(2L, 3L), userSeqs(bobsDeliveries()));
        fx.send("c1", "alice", "id-4", "more"); // 4, live
        bobsDeliveries();

        check("phone", "s1", "n", "i1", false, 0L);
        List<Delivery> since = bobsDeliveries();
        assertEquals(List.of(4L), userSeqs(since));
        assertEquals(new ReplayFinished(4L), since.getLast().getItem());
        assertEquals(2, since.size(), "no second ReplayStarted, no second copy of 2 and 3: " + since);
        check("phone", "s1", "n", "i1", false, 0L);
        assertEquals(List.of(), bobsDeliveries());
    }

    @Test
    void aCheckOfASessionBehindTheTrimmedLogGetsGapFirst() {
        bobsPhoneWith(3, 5); // 2..6 went live, the log keeps 4..6
        assertEquals(4L, state().getOldestUserSeq());

        check("phone", "s1", "n", "i1", true, 1L);

        List<Delivery> resent = bobsDeliveries();
        assertEquals(new ReplayGap(4L), resent.getFirst().getItem());
        assertEquals(List.of(4L, 5L, 6L), userSeqs(resent));
        assertEquals(4, resent.size());
        allTo(resent, "n", "s1");
    }

    @Test
    void aCheckOfAnUpToDateSessionEmitsNothingAndWritesNoState() {
        bobsPhoneWith(10_000, 2);
        TestOutputTopic<String, byte[]> changelog = fx.driver.createOutputTopic(STATE_CHANGELOG,
                new StringDeserializer(), new ByteArrayDeserializer());
        assertFalse(changelog.readRecordsToList().isEmpty(), "the changelog is where a put shows");
        UserState before = state();

        check("phone", "s1", "n", "i1", true, 3L);
        check("phone", "s1", "n", "i1", true, 3L);

        assertTrue(fx.deliveries().isEmpty());
        assertTrue(fx.presence().isEmpty());
        assertTrue(changelog.readRecordsToList().isEmpty(), "no state written");
        assertEquals(before, state());
    }

    @Test
    void aCheckOfARevokedSessionRevokesItAgainAndNeverOpensIt() {
        bobsPhoneWith(10_000, 1);
        open("laptop", "s2", "n", "i1");
        // a password change on the laptop: the phone's sessions end, the phone stays registered
        fx.userCommand("bob", new SessionsRevoked("bob", null, "laptop", "password_changed", fx.now()));
        assertEquals(List.of("s1"), state().getRevokedSessions());
        fx.deliveries();

        check("phone", "s1", "n", "i1", true, 2L);

        assertEquals(List.of(new Delivery("bob", List.of(new SessionRoute("n", "s1")),
                new SessionRevoked(SessionChecks.REVOKED))), fx.deliveries());
        assertEquals(List.of("s2"), sessionIds());
    }

    @Test
    void aCheckFromARemovedDeviceRevokesAndDoesNotRegisterIt() {
        bobsPhoneWith(10_000, 1);
        fx.userCommand("bob", new DeviceRemoved("bob", "phone", fx.now())); // logout: s1 goes with it, bob offline
        fx.presence();

        check("phone", "s1", "n", "i1", false, 0L);

        assertEquals(List.of(new Delivery("bob", List.of(new SessionRoute("n", "s1")),
                new SessionRevoked(SessionChecks.DEVICE_REMOVED))), fx.deliveries());
        assertNull(Devices.find(state(), "phone"));
        assertEquals(List.of(), state().getSessions());
        assertTrue(fx.presence().isEmpty(), "offline already");
    }

    @Test
    void aCheckEndingRevokedAfterTheCleanupTakesTheUserOffline() {
        bobsPhoneWith(10_000, 0); // s1 on n under i1
        Instant checkedAt = fx.now();

        // n restarted as i2 and checks a socket of a device bob no longer has
        check("tablet", "s9", "n", "i2", true, 1L);

        assertEquals(List.of(new SessionRevoked(SessionChecks.DEVICE_REMOVED)),
                fx.deliveries().stream().map(Delivery::getItem).toList());
        assertEquals(List.of(), state().getSessions(), "s1 went with its process");
        assertEquals(List.of(new PresenceChanged("bob", false, checkedAt)), fx.presence());
    }

    @Test
    void revokedSessionsKeepTheLatest32AndAnOlderOneIsOpenedAgainOnCheck() {
        fx = new TopologyFixture(stateDir, 10_000);
        int opened = Sessions.MAX_REVOKED + 2;
        for (int i = 0; i < opened; i++) {
            open("phone", "s" + i, "n", "i1");
        }
        open("laptop", "keep", "n", "i1");
        fx.userCommand("bob", new SessionsRevoked("bob", null, "laptop", "password_changed", fx.now()));

        assertEquals(IntStream.range(2, opened).mapToObj(i -> "s" + i).toList(), state().getRevokedSessions());
        fx.deliveries();

        check("phone", "s2", "n", "i1", true, 0L);
        assertEquals(List.of(new SessionRevoked(SessionChecks.REVOKED)),
                fx.deliveries().stream().map(Delivery::getItem).toList());
        check("phone", "s0", "n", "i1", true, 0L); // forgotten: the phone is still bob's, so it opens
        assertTrue(fx.deliveries().getFirst().getItem() instanceof ReplayStarted);
        assertEquals(List.of("keep", "s0"), sessionIds());
    }
}
