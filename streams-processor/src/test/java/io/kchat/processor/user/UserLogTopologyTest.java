package io.kchat.processor.user;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ReceiptKind.DELIVERED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.ContactRequestView;
import io.kchat.events.ContactView;
import io.kchat.events.DeliveredUpTo;
import io.kchat.events.Delivery;
import io.kchat.events.DeviceAck;
import io.kchat.events.DeviceCursor;
import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.OpenSession;
import io.kchat.events.PresenceChanged;
import io.kchat.events.ReadUpTo;
import io.kchat.events.Receipt;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.SessionRevoked;
import io.kchat.events.SessionRoute;
import io.kchat.events.SessionRoute;
import io.kchat.events.SessionsRevoked;
import io.kchat.events.SettingsChanged;
import io.kchat.events.UserEvent;
import io.kchat.events.UserState;
import io.kchat.processor.TopologyFixture;
import io.kchat.processor.headers.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserLogTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fx;
    private int sent;

    @AfterEach
    void stop() {
        fx.close();
    }

    private void open(String user, String device, String session, String node) {
        fx.userCommand(user, new SessionOpened(user, device, session, node, fx.now(), null));
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
    void aContactChangeWrittenTwiceIsLoggedOnceAndAnotherOneAgain() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("bob", "bob-phone", "s1", "node-a");
        fx.deliveries();
        ContactChanged request = new ContactChanged("e1", ContactEventKind.REQUEST,
                new ContactRequestView("r1", "alice", "bob", "hi", "pending", fx.now()), null, fx.now());
        ContactChanged accepted = new ContactChanged("e2", ContactEventKind.ACCEPTED,
                new ContactRequestView("r1", "alice", "bob", "hi", "accepted", fx.now()),
                new ContactView("alice", "alice", "Alice", fx.now()), fx.now());

        // the gateway's publish, then the outbox relay's copy of the same event
        fx.userCommand("bob", new UserEvent("bob", request));
        fx.userCommand("bob", new UserEvent("bob", request));
        fx.userCommand("bob", new UserEvent("bob", accepted));
        fx.userCommand("bob", new UserEvent("bob", accepted));

        List<Delivery> live = fx.deliveries();
        assertEquals(List.of(1L, 2L), userSeqs(live));
        assertEquals(List.of(request, accepted), live.stream()
                .map(d -> ((LoggedEvent) d.getItem()).getEvent().getPayload()).toList());
        assertEquals(List.of("e1", "e2"), state("bob").getRecentEventIds());
    }

    @Test
    void aSettingsChangeWrittenTwiceIsLoggedOnceAndTheNextOneAgain() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("bob", "bob-phone", "s1", "node-a");
        fx.deliveries();
        SettingsChanged muted = new SettingsChanged("s-1", "c1", true, null, false, false, fx.now());
        SettingsChanged pinned = new SettingsChanged("s-2", "c1", true, null, true, false, fx.now());

        // the gateway's publish, then the outbox relay's copy of the same change
        fx.userCommand("bob", new UserEvent("bob", muted));
        fx.userCommand("bob", new UserEvent("bob", muted));
        fx.userCommand("bob", new UserEvent("bob", pinned));
        fx.userCommand("bob", new UserEvent("bob", pinned));

        List<Delivery> live = fx.deliveries();
        assertEquals(List.of(1L, 2L), userSeqs(live));
        assertEquals(List.of(muted, pinned), live.stream()
                .map(d -> ((LoggedEvent) d.getItem()).getEvent().getPayload()).toList());
        assertEquals(List.of("s-1", "s-2"), state("bob").getRecentEventIds());
    }

    @Test
    void onlyTheLatestContactEventIdsAreRemembered() {
        fx = new TopologyFixture(stateDir, 10_000);
        for (int i = 0; i <= RecentEvents.KEPT; i++) {
            fx.userCommand("bob", new UserEvent("bob", new ContactChanged("e" + i, ContactEventKind.REMOVED, null,
                    new ContactView("u" + i, null, "U", fx.now()), fx.now())));
        }
        List<String> kept = state("bob").getRecentEventIds();
        assertEquals(RecentEvents.KEPT, kept.size());
        assertEquals("e1", kept.getFirst(), "the oldest went");
        assertEquals((long) RecentEvents.KEPT + 1, state("bob").getLastUserSeq());
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

    /** Alice sends n more messages to c1, each with a new client id (a repeated id would be deduplicated). */
    private void chatMore(int n) {
        for (int i = 0; i < n; i++) {
            sent++;
            fx.send("c1", "alice", "more-" + sent, "more " + sent);
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

    private UserState state(String userId) {
        return fx.driver.<String, UserState>getKeyValueStore(UserLogTopology.STATE_STORE).get(userId);
    }

    private LoggedEvent logged(String userId, long userSeq) {
        return fx.driver.<String, LoggedEvent>getKeyValueStore(UserLogTopology.LOG_STORE).get(UserLog.key(userId, userSeq));
    }

    @Test
    void anAckThatMovesTheDeliveredFrontierTellsEachConversationOnceAndNeverForOwnMessages() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // bob's userSeq 1
        fx.conversation("c2", CREATED, 1, "carol", "carol", "bob"); // 2
        open("bob", "phone", "s1", "n");
        open("bob", "laptop", "s2", "n");
        fx.send("c1", "alice", "a-1", "one"); // 3: c1 seq 1
        fx.send("c1", "alice", "a-2", "two"); // 4: c1 seq 2
        fx.send("c2", "carol", "c-1", "hi"); // 5: c2 seq 1
        fx.send("c1", "bob", "b-1", "mine"); // 6: c1 seq 3, bob's own
        fx.inboundWritten();

        fx.userCommand("bob", new DeviceAck("bob", "phone", 4L));
        Instant ackedAt = fx.now();
        List<KeyValue<String, InboundCommand>> written = fx.inboundWritten();
        assertEquals(1, written.size());
        assertEquals("c1", written.getFirst().key);
        assertEquals(new InboundCommand("delivered:bob:c1:2", ackedAt, new DeliveredUpTo("bob", 2L)), written.getFirst().value);
        // ...which the conversation side turns into alice's receipt.
        assertEquals(List.of(new Receipt("c1", "bob", DELIVERED, 2L, ackedAt)),
                fx.receipts().stream().filter(r -> r.getKind() == DELIVERED).toList());
        assertEquals(4L, state("bob").getDeliveredUserSeq());

        fx.userCommand("bob", new DeviceAck("bob", "laptop", 4L)); // the frontier does not move
        assertTrue(fx.inboundWritten().isEmpty());

        fx.userCommand("bob", new DeviceAck("bob", "phone", 6L)); // passes carol's message and bob's own
        assertEquals(List.of(KeyValue.pair("c2", new DeliveredUpTo("bob", 1L))),
                fx.inboundWritten().stream().map(kv -> KeyValue.pair(kv.key, kv.value.getCommand())).toList());

        fx.inbound("c1", new ReadUpTo("alice", "alice-phone", 3L)); // a READ receipt lands in bob's log at 7
        fx.userCommand("bob", new DeviceAck("bob", "phone", 7L));
        assertEquals(7L, state("bob").getDeliveredUserSeq());
        assertTrue(fx.inboundWritten().isEmpty(), "acking a receipt delivers no message");
    }

    @Test
    void pastTheMarksCapTheOldestMessagesAreFoundInTheLogAndEveryAckAnnouncesWhatItPasses() {
        bobWithAPhoneIn2Conversations(10_000); // bob's userSeq 1, 2; the phone registered at 2
        int messages = PendingDeliveries.MAX_MARKS + 8; // userSeq 3..42
        for (int i = 1; i <= messages; i++) {
            if (i % 5 == 0) {
                fx.send("c2", "carol", "c-" + i, "to c2");
            } else {
                fx.send("c1", "alice", "a-" + i, "to c1");
            }
        }
        fx.send("c1", "bob", "b-1", "mine"); // 43
        List<LoggedEvent> log = fx.deliveries().stream().filter(d -> d.getUserId().equals("bob"))
                .map(Delivery::getItem).filter(LoggedEvent.class::isInstance).map(LoggedEvent.class::cast).toList();
        UserState before = state("bob");
        assertEquals(PendingDeliveries.MAX_MARKS, before.getPendingDelivered().size());
        assertEquals(10L, before.getUnmarkedUpTo(), "the marks of 3..10 gave way to the log");
        fx.inboundWritten();

        long delivered = 2; // the phone registered at 2
        for (long ack : List.of(7L, 14L, 43L)) { // inside the unmarked part, across its end, past every mark
            fx.userCommand("bob", new DeviceAck("bob", "phone", ack));
            assertEquals(deliveredUpTo(log, "bob", delivered, ack), frontiersWritten(), "ack " + ack);
            delivered = ack;
        }
        assertEquals(List.of(), state("bob").getPendingDelivered());
        assertEquals(0L, state("bob").getUnmarkedUpTo());
    }

    @Test
    void aLogWrittenBeforeTheMarksIsAnnouncedFromTheLogUntilAnAckPassesIt() {
        bobWithAPhoneIn2Conversations(10_000); // bob's userSeq 1, 2; the phone registered at 2
        fx.send("c1", "alice", "a-1", "one"); // 3: c1 seq 1
        fx.send("c2", "carol", "c-1", "two"); // 4: c2 seq 1
        // What the version before the marks stored reads back as: no marks, the schema's default bound.
        KeyValueStore<String, UserState> states = fx.driver.getKeyValueStore(UserLogTopology.STATE_STORE);
        states.put("bob", UserState.newBuilder(states.get("bob")).clearPendingDelivered().clearUnmarkedUpTo().build());
        assertEquals(Long.MAX_VALUE, state("bob").getUnmarkedUpTo());
        fx.send("c1", "alice", "a-2", "three"); // 5: c1 seq 2, in the old part too
        fx.inboundWritten();

        fx.userCommand("bob", new DeviceAck("bob", "phone", 4L));
        assertEquals(List.of(KeyValue.pair("c1", 1L), KeyValue.pair("c2", 1L)), frontiersWritten());
        fx.send("c2", "carol", "c-2", "four"); // 6: c2 seq 2, the first one marked
        assertEquals(1, state("bob").getPendingDelivered().size());

        fx.userCommand("bob", new DeviceAck("bob", "phone", 6L));
        assertEquals(List.of(KeyValue.pair("c1", 2L), KeyValue.pair("c2", 2L)), frontiersWritten());
        assertEquals(0L, state("bob").getUnmarkedUpTo());
    }

    @Test
    void aMessageTrimmedBeforeAnyDeviceAckedItIsNeverAnnounced() {
        bobWithAPhoneIn2Conversations(3);
        fx.send("c2", "carol", "c-1", "trimmed unacked"); // 3
        chatMore(3); // 4..6: the log keeps 4..6
        assertEquals(4L, state("bob").getOldestUserSeq());
        fx.inboundWritten();

        fx.userCommand("bob", new DeviceAck("bob", "phone", 6L));
        assertEquals(List.of(KeyValue.pair("c1", 3L)), frontiersWritten());
    }

    /** c1 with alice and c2 with carol, created at bob's userSeq 1 and 2; then bob's phone connects. */
    private void bobWithAPhoneIn2Conversations(int maxEventsPerUser) {
        fx = new TopologyFixture(stateDir, maxEventsPerUser);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.conversation("c2", CREATED, 1, "carol", "carol", "bob");
        open("bob", "phone", "s1", "n");
    }

    /** The DeliveredUpTo written since the last call, as (conversation, seq). */
    private List<KeyValue<String, Long>> frontiersWritten() {
        return fx.inboundWritten().stream()
                .map(kv -> KeyValue.pair(kv.key, ((DeliveredUpTo) kv.value.getCommand()).getSeq())).toList();
    }

    /** Computed from the log as delivered: per conversation, the last seq from others with from < userSeq <= to. */
    private static List<KeyValue<String, Long>> deliveredUpTo(List<LoggedEvent> log, String userId, long from, long to) {
        Map<String, Long> upTo = new LinkedHashMap<>();
        for (LoggedEvent event : log) {
            if (event.getUserSeq() > from && event.getUserSeq() <= to
                    && event.getEvent().getPayload() instanceof ChatMessage message
                    && !message.getSenderId().equals(userId)) {
                upTo.merge(message.getConversationId(), message.getSeq(), Math::max);
            }
        }
        return upTo.entrySet().stream().map(e -> KeyValue.pair(e.getKey(), e.getValue())).toList();
    }

    @Test
    void aDeviceRegisteredLaterDoesNotVouchForEventsItNeverGot() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // 1
        fx.conversation("c2", CREATED, 1, "carol", "carol", "bob"); // 2
        fx.userCommand("bob", new DeviceRegistered("bob", "phone", fx.now())); // at 2, then offline
        fx.send("c1", "alice", "a-1", "to the phone only"); // 3
        fx.userCommand("bob", new DeviceRegistered("bob", "tablet", fx.now())); // at 3
        fx.send("c2", "carol", "c-1", "to both"); // 4
        fx.inboundWritten();

        fx.userCommand("bob", new DeviceAck("bob", "tablet", 4L));
        assertEquals(List.of(KeyValue.pair("c2", new DeliveredUpTo("bob", 1L))),
                fx.inboundWritten().stream().map(kv -> KeyValue.pair(kv.key, kv.value.getCommand())).toList());
    }

    @Test
    void aDeviceRegisteredAtLoginGetsEventsFromItsRegistrationOn() {
        fx = new TopologyFixture(stateDir, 10_000);
        chat(2); // bob's log: 1..3
        fx.userCommand("bob", new DeviceRegistered("bob", "tablet", fx.now()));
        chatMore(2); // 4, 5 before the tablet first connects
        fx.userCommand("bob", new DeviceRegistered("bob", "tablet", fx.now())); // CDC's copy changes nothing
        fx.deliveries();

        open("bob", "tablet", "s1", "n");
        List<Delivery> replay = fx.deliveries();
        assertEquals(new ReplayStarted("tablet", 3L), replay.getFirst().getItem());
        assertEquals(List.of(4L, 5L), userSeqs(replay));
        assertEquals(new ReplayFinished(5L), replay.getLast().getItem());
    }

    @Test
    void aRemovedDeviceStopsHoldingBackTrimmingLosesItsSessionsAndComesBackAsNew() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // 1
        open("bob", "phone", "s1", "n");
        open("bob", "tablet", "s2", "n");
        chatMore(3); // 2..4
        fx.userCommand("bob", new DeviceAck("bob", "phone", 4L));
        assertEquals(2L, state("bob").getOldestUserSeq(), "the tablet still needs 2..4");
        assertNotNull(logged("bob", 4L));

        fx.userCommand("bob", new DeviceRemoved("bob", "tablet", fx.now()));
        UserState state = state("bob");
        assertEquals(5L, state.getOldestUserSeq());
        assertNull(logged("bob", 2L));
        assertNull(logged("bob", 4L));
        assertEquals(List.of(new DeviceCursor("phone", 4L)), state.getDevices());
        assertEquals(List.of(new OpenSession("phone", "s1", "n", null, 0L)), state.getSessions());

        fx.deliveries();
        chatMore(1); // 5 goes live to the phone only
        List<Delivery> live = fx.deliveries().stream().filter(d -> d.getUserId().equals("bob")).toList();
        assertEquals(List.of(List.of(new SessionRoute("n", "s1"))), live.stream().map(Delivery::getRoutes).toList());

        open("bob", "tablet", "s3", "n");
        List<Delivery> replay = fx.deliveries();
        assertEquals(new ReplayStarted("tablet", 5L), replay.getFirst().getItem());
        assertEquals(List.of(), userSeqs(replay));
    }

    @Test
    void eventsOlderThanTheMaxAgeGoAndACursorBehindThemGetsGap() {
        fx = new TopologyFixture(stateDir, Map.of("USER_LOG_MAX_AGE", "30d"));
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // 1
        open("bob", "phone", "s1", "n"); // cursor at 1
        fx.userCommand("bob", new SessionClosed("bob", "phone", "s1", "n", fx.now()));
        chatMore(2); // 2, 3
        fx.advance(Duration.ofDays(29));
        chatMore(1); // 4: nothing is 30 days old yet
        assertEquals(1L, state("bob").getOldestUserSeq());
        fx.advance(Duration.ofDays(2));
        chatMore(1); // 5: 1..3 are now more than 30 days older than it
        assertEquals(4L, state("bob").getOldestUserSeq());
        assertNull(logged("bob", 3L));
        fx.deliveries();

        open("bob", "phone", "s2", "n");
        List<Delivery> replay = fx.deliveries();
        assertEquals(new ReplayStarted("phone", 1L), replay.get(0).getItem());
        assertEquals(new ReplayGap(4L), replay.get(1).getItem());
        assertEquals(List.of(4L, 5L), userSeqs(replay));
        assertEquals(new ReplayFinished(5L), replay.getLast().getItem());
    }

    @Test
    void presenceChangesOnlyWithTheFirstSessionAndTheLast() {
        fx = new TopologyFixture(stateDir, 10_000);
        Instant firstOpened = fx.now();
        open("bob", "phone", "s1", "n");
        open("bob", "laptop", "s2", "n");
        fx.userCommand("bob", new SessionClosed("bob", "phone", "s1", "n", fx.now()));
        Instant lastClosed = fx.now();
        fx.userCommand("bob", new SessionClosed("bob", "laptop", "s2", "n", lastClosed));
        fx.userCommand("bob", new SessionClosed("bob", "laptop", "s2", "n", fx.now())); // a repeat: nothing
        assertEquals(List.of(new PresenceChanged("bob", true, firstOpened), new PresenceChanged("bob", false, lastClosed)),
                fx.presence());

        Instant reopened = fx.now();
        open("bob", "phone", "s3", "n");
        Instant loggedOut = fx.now();
        fx.userCommand("bob", new DeviceRemoved("bob", "phone", loggedOut)); // logout with its session still open
        assertEquals(List.of(new PresenceChanged("bob", true, reopened), new PresenceChanged("bob", false, loggedOut)),
                fx.presence());
    }

    @Test
    void revokedSessionsAreToldWhereverTheyAreAndGetNothingMore() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("bob", "phone", "s1", "n1");
        open("bob", "laptop", "s2", "n2");
        open("bob", "tablet", "s3", "n1");
        fx.deliveries(); // the replays

        // password change on the laptop: every other device's sessions end
        fx.userCommand("bob", new SessionsRevoked("bob", null, "laptop", "password_changed", fx.now()));
        List<Delivery> told = fx.deliveries();
        assertEquals(1, told.size());
        assertEquals(new SessionRevoked("password_changed"), told.getFirst().getItem());
        assertEquals(List.of(new SessionRoute("n1", "s1"), new SessionRoute("n1", "s3")), told.getFirst().getRoutes());

        chat(1);
        List<Delivery> live = fx.deliveries();
        assertTrue(live.stream().allMatch(d -> d.getRoutes().equals(List.of(new SessionRoute("n2", "s2")))),
                "only the laptop's session still gets events: " + live);

        // logout of the laptop: its own sessions end, and bob goes offline
        fx.userCommand("bob", new SessionsRevoked("bob", "laptop", null, "logout", fx.now()));
        assertEquals(List.of(new SessionRoute("n2", "s2")), fx.deliveries().getFirst().getRoutes());
        assertEquals(false, fx.presence().getLast().getOnline());
        fx.userCommand("bob", new SessionsRevoked("bob", "laptop", null, "logout", fx.now()));
        assertTrue(fx.deliveries().isEmpty(), "nothing left to revoke: nothing said");
    }

    @Test
    void eachNodeGetsOneCopyNamingOnlyItsOwnSessionsAndAGoneNodeNone() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("bob", "phone", "s1", "n1");
        open("bob", "laptop", "s2", "n2");
        open("bob", "tablet", "s3", "n1");
        open("bob", "watch", "s4", TopologyFixture.GONE_NODE);
        fx.deliveries(); // the replays

        chat(1);

        List<Delivery> toN1 = fx.deliveriesTo("n1");
        List<Delivery> toN2 = fx.deliveriesTo("n2");
        assertEquals(List.of(1L, 2L), userSeqs(toN1), "created, m1: once each on n1");
        assertEquals(List.of(1L, 2L), userSeqs(toN2), "and once each on n2");
        assertTrue(toN1.stream().allMatch(d -> d.getRoutes().equals(
                List.of(new SessionRoute("n1", "s1"), new SessionRoute("n1", "s3")))), "n1's sessions only: " + toN1);
        assertTrue(toN2.stream().allMatch(d -> d.getRoutes().equals(List.of(new SessionRoute("n2", "s2")))),
                "n2's session only: " + toN2);
        assertEquals(List.of("n1", "n2"), fx.egressNodes(), "nothing for the node without an egress topic");
    }

    private static List<Long> seqs(List<Delivery> deliveries) {
        return deliveries.stream().filter(d -> d.getItem() instanceof LoggedEvent)
                .map(d -> ((ChatMessage) ((LoggedEvent) d.getItem()).getEvent().getPayload()).getSeq()).toList();
    }

    @Test
    void aRepeatOfTheConversationSidesOutputIsDroppedByItsOriginAndNothingElseIs() {
        fx = new TopologyFixture(stateDir, 10_000);
        open("bob", "bob-phone", "s1", "node-a");
        fx.deliveries();

        // an aborted transaction's fan-out (partition 2, offsets 10 and 11), then its replay from offset 10
        fx.fromConversationSide("bob", new Origin(2, 10, 0), 1);
        fx.fromConversationSide("bob", new Origin(2, 11, 0), 2);
        fx.fromConversationSide("bob", new Origin(2, 10, 0), 1);
        fx.fromConversationSide("bob", new Origin(2, 11, 0), 2);
        fx.fromConversationSide("bob", new Origin(2, 11, 1), 3); // a second output of the same input record
        fx.fromConversationSide("bob", new Origin(5, 3, 0), 4);  // another partition has its own mark
        fx.fromConversationSide("bob", new Origin(2, 9, 0), 1);  // a zombie's write from behind the mark
        fx.fromConversationSide("bob", new Origin(2, 12, 0), 5);

        List<Delivery> delivered = fx.deliveries();
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), seqs(delivered), "each event once, in order");
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), userSeqs(delivered), "one gap-free userSeq per event");
    }

    @Test
    void theConversationSideStampsEveryUserCommandWithItsInputsPositionAndTheUserSideDropsIt() {
        fx = new TopologyFixture(stateDir, 10_000);
        var userInbound = fx.output(fx.topics.userInbound());
        var deliveries = fx.output(fx.topics.egress("node-a"));
        open("bob", "bob-phone", "s1", "node-a");
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol"); // inbound offset 0
        fx.send("c1", "alice", "id-1", "hello"); // inbound offset 1

        List<Origin> origins = userInbound.readRecordsToList().stream()
                .map(record -> Origin.of(record.headers()).orElseThrow()).toList();
        assertEquals(List.of(new Origin(0, 0, 0), new Origin(0, 0, 1), new Origin(0, 0, 2),
                new Origin(0, 1, 0), new Origin(0, 1, 1), new Origin(0, 1, 2)), origins);
        var delivered = deliveries.readRecordsToList();
        assertEquals(4, delivered.size(), "bob's replay start and end, created, hello: " + delivered);
        assertTrue(delivered.stream().allMatch(record -> Origin.of(record.headers()).isEmpty()),
                "the origin stays on chat.user-inbound");
    }
}
