package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.PresenceChanged;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayGap;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionRevoked;
import io.kchat.events.Typing;
import io.kchat.events.UserEvent;
import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** D4 per socket: nothing before ready, userSeq order, live after synced, redeliveries dropped; 4010 on overflow. */
class ClientSessionTest {

    private static final Duration PING = Duration.ofMinutes(1);
    private static final Instant TS = Instant.parse("2030-01-01T00:00:00Z");
    private static final long CHECK = TimeUnit.SECONDS.toNanos(30);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final List<Long> acksPublished = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    /** Pushes happen 250 ms after the messages' ingest time. */
    private final GatewayMetrics metrics = new GatewayMetrics(meters,
            Clock.fixed(TS.plusMillis(250), ZoneOffset.UTC));

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void holdsEventsUntilReadyAndDropsRedeliveries() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);

        session.deliver(event(2));
        session.deliver(new ReplayStarted("d1", 1L));
        session.deliver(event(1));
        session.deliver(event(2));
        session.deliver(new ReplayFinished(2L));
        session.deliver(new ReplayStarted("d1", 1L));
        session.deliver(new ReplayFinished(2L));
        session.deliver(event(3));

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 4);
        List<String> texts = socket.texts;
        assertEquals("{\"type\":\"ready\",\"userId\":\"u1\",\"deviceId\":\"d1\",\"sessionId\":\"s1\",\"ackedUserSeq\":1}",
                texts.get(0));
        assertTrue(texts.get(1).contains("\"userSeq\":2"), texts.get(1));
        assertEquals("{\"type\":\"synced\",\"userSeq\":2}", texts.get(2));
        assertTrue(texts.get(3).contains("\"userSeq\":3"), texts.get(3));
    }

    @Test
    void liveEventsArrivingDuringTheReplayLeaveAfterSyncedInUserSeqOrder() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);

        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayGap(1L));
        session.deliver(event(1));
        session.deliver(event(4)); // live, overtook the queued 2 and 3
        session.deliver(event(3));
        session.deliver(event(4));
        session.deliver(event(2));
        session.deliver(event(1));
        session.deliver(new ReplayFinished(3L));
        session.deliver(event(5));
        session.deliver(event(4));
        session.deliver(new ReplayGap(1L)); // a redelivered replay: no second gap once synced

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 8);
        assertEquals(List.of("ready", "gap", "1", "2", "3", "synced", "4", "5"), summary(socket.texts));
    }

    @Test
    void ephemeralItemsAreDroppedBeforeReadyAndSentAsTheyComeAfter() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);

        session.deliver(new Typing("c1", "u2", true, TS));
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(event(1));
        session.deliver(new PresenceChanged("u2", true, TS));
        session.deliver(new ReplayFinished(1L));
        session.deliver(new Typing("c1", "u2", false, TS));

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 5);
        assertEquals(List.of("ready", "1", "presence", "synced", "typing"), summary(socket.texts));
        assertTrue(socket.texts.get(4).contains("\"active\":false"), socket.texts.get(4));
    }

    @Test
    void unknownItemsAndPayloadsAreSkipped() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);

        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayFinished(0L));
        session.deliver("an item of a newer schema");
        session.deliver(new LoggedEvent(1L, new UserEvent("u1", new Member("u9", MemberRole.ADMIN))));
        session.deliver(event(2));

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 3);
        assertEquals(List.of("ready", "synced", "2"), summary(socket.texts));
    }

    @Test
    void anAckAboveWhatWasSentIsRefusedAndNothingIsPublished() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.ack(1, "early");
        session.deliver(new ReplayStarted("d1", 2L));
        session.deliver(event(3));
        session.deliver(new ReplayFinished(3L));
        session.ack(4, "ahead");
        session.ack(2, "old");
        session.ack(3, "fine");

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 7);
        assertEquals("{\"type\":\"error\",\"ref\":\"early\",\"code\":\"bad_request\","
                + "\"message\":\"userSeq 1 was not sent on this socket (last sent: 0)\"}", socket.texts.get(0));
        assertEquals(List.of("error", "ready", "3", "synced", "error", "ok", "ok"), summary(socket.texts));
        assertTrue(socket.texts.get(4).contains("\"ref\":\"ahead\",\"code\":\"bad_request\""), socket.texts.get(4));
        assertEquals("{\"type\":\"ok\",\"ref\":\"old\"}", socket.texts.get(5), "at the replay cursor: no write");
        assertEquals("{\"type\":\"ok\",\"ref\":\"fine\"}", socket.texts.get(6));
        assertEquals(List.of(3L), acksPublished);
    }

    @Test
    void aReplayInOrderStreamsWithoutBeingHeldHoweverLong() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 2);
        session.deliver(new ReplayStarted("d1", 0L));
        for (long userSeq = 1; userSeq <= 6; userSeq++) {
            session.deliver(event(userSeq));
        }
        session.deliver(new ReplayFinished(6L));

        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 8);
        assertEquals(List.of("ready", "1", "2", "3", "4", "5", "6", "synced"), summary(socket.texts));
        assertEquals(null, socket.closeCode);
    }

    @Test
    void moreLiveEventsDuringTheReplayThanTheHoldCloses4010() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 2);
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(event(1));
        session.deliver(event(5)); // live ones, ahead of the queued 2..4
        session.deliver(event(6));
        session.deliver(event(7));
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.TOO_SLOW).equals(socket.closeCode));
    }

    @Test
    void aRevocationFromAnyNodeClosesTheSessionWith4003() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayFinished(0L));
        session.deliver(new SessionRevoked("revoked"));
        session.deliver(event(1));

        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.REVOKED).equals(socket.closeCode));
        assertEquals(List.of("ready", "synced"), summary(socket.texts), "nothing after the revocation");
    }

    @Test
    void liveMessagesRecordTheirDeliveryLatencyAndEveryFrameOutIsCountedByType() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);

        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(event(1)); // replayed: its age is the time the device was away, not a latency
        session.deliver(new ReplayFinished(1L));
        session.deliver(event(2)); // live
        session.send(ServerFrame.Error.of("r1", null, ErrorCode.RATE_LIMITED, "slow down"));

        Timer latency = meters.get(GatewayMetrics.DELIVERY_LATENCY).timer();
        assertEquals(1, latency.count());
        assertEquals(250, latency.totalTime(TimeUnit.MILLISECONDS), 0.001);
        assertEquals(2, meters.get(GatewayMetrics.FRAMES_OUT).tag("type", "message").counter().count());
        assertEquals(1, meters.get(GatewayMetrics.FRAMES_OUT).tag("type", "ready").counter().count());
        assertEquals(1, meters.get(GatewayMetrics.FRAMES_OUT).tag("type", "synced").counter().count());
        assertEquals(1, meters.get(GatewayMetrics.ERRORS).tags("source", "ws", "code", "rate_limited").counter()
                .count());
    }

    @Test
    void onceSyncedAnEventBehindAMissingOneWaitsForItAndTheCheckSaysWhatIsHeld() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.opened();
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayFinished(0L));
        session.deliver(event(1));
        session.deliver(event(3)); // 2 was lost on the way
        session.deliver(event(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 3);
        assertEquals(List.of("ready", "synced", "1"), summary(socket.texts), "nothing ahead of the missing 2");

        long now = System.nanoTime();
        assertEquals(Optional.empty(), session.checkDue(now, CHECK), "not waiting long enough yet");
        Optional<ClientSession.SessionCheck> check = session.checkDue(now + CHECK, CHECK);
        assertEquals(Optional.of(new ClientSession.SessionCheck(new SessionIdentity("u1", "d1", "s1"), true, 1L)), check);
        assertEquals(Optional.empty(), session.checkDue(now + CHECK + 1, CHECK), "at most one check an interval");

        session.deliver(event(2)); // the check's answer
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 6);
        assertEquals(List.of("ready", "synced", "1", "2", "3", "4"), summary(socket.texts));
    }

    @Test
    void aReplayThatLostAnEventIsNotSyncedUntilItComesAgain() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.opened();
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(event(1));
        session.deliver(event(3));
        session.deliver(new ReplayFinished(3L));
        session.deliver(event(4)); // live
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 2);
        assertEquals(List.of("ready", "1"), summary(socket.texts), "no synced while 2 is missing");
        assertEquals(Optional.of(new ClientSession.SessionCheck(new SessionIdentity("u1", "d1", "s1"), false, 1L)),
                session.checkDue(System.nanoTime() + CHECK, CHECK));

        // the user side answers a check of an unsynced session with the whole replay again
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(event(1));
        session.deliver(event(2));
        session.deliver(event(3));
        session.deliver(new ReplayFinished(3L));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 6);
        assertEquals(List.of("ready", "1", "2", "3", "synced", "4"), summary(socket.texts));
    }

    @Test
    void aSessionThatStaysWithoutItsReplayThroughItsChecksIsClosedSoThatItsClientReconnects() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.opened();
        long now = System.nanoTime();
        for (int check = 1; check <= CheckSchedule.MAX_FRUITLESS_CHECKS; check++) {
            assertTrue(session.checkDue(now + check * CHECK, CHECK).isPresent(), "check " + check);
        }
        assertEquals(null, socket.closeCode);
        assertEquals(Optional.empty(), session.checkDue(now + 10 * CHECK, CHECK));
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.INTERNAL).equals(socket.closeCode));
    }

    @Test
    void anIdleSyncedSessionIsCheckedForEverWithoutBeingClosed() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.opened();
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayFinished(0L));
        long now = System.nanoTime();
        for (int check = 1; check <= 3 * CheckSchedule.MAX_FRUITLESS_CHECKS; check++) {
            assertTrue(session.checkDue(now + check * CHECK, CHECK).isPresent(), "check " + check);
        }
        assertEquals(null, socket.closeCode, "nothing to get is not something missing");
    }

    @Test
    void aGapAnsweringACheckSkipsWhatIsNoLongerKept() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        session.deliver(new ReplayStarted("d1", 0L));
        session.deliver(new ReplayFinished(0L));
        session.deliver(event(1));
        session.deliver(event(5)); // 2..4 lost, and trimmed since
        session.deliver(new ReplayGap(4L));
        session.deliver(event(4));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.texts.size() == 6);
        assertEquals(List.of("ready", "synced", "1", "gap", "4", "5"), summary(socket.texts));
    }

    @Test
    void aSessionIsCheckedWhenTheUserSideHasNotReachedItForAnIntervalOrWhenAsked() {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket, 16);
        long now = System.nanoTime();
        assertEquals(Optional.empty(), session.checkDue(now + 10 * CHECK, CHECK),
                "SessionOpened not published: the user side cannot know it yet");

        session.opened();
        session.deliver(new ReplayStarted("d1", 3L));
        session.deliver(new ReplayFinished(3L));
        session.deliver(new Typing("c1", "u2", true, TS)); // ephemeral: does not come from the user side
        now = System.nanoTime();
        assertEquals(Optional.empty(), session.checkDue(now + CHECK / 2, CHECK));
        assertEquals(Optional.of(new ClientSession.SessionCheck(new SessionIdentity("u1", "d1", "s1"), true, 3L)),
                session.checkDue(now + CHECK, CHECK));

        session.requestCheck(); // its row was reaped and written again: at once
        assertTrue(session.checkDue(now + CHECK + 1, CHECK).isPresent());
        session.close(CloseCodes.GOING_AWAY, "bye");
        session.requestCheck();
        assertEquals(Optional.empty(), session.checkDue(now + 5 * CHECK, CHECK), "a closing socket is not checked");
    }

    @Test
    void aFullQueueClosesWith4010() {
        RecordingSocket socket = new RecordingSocket(true);
        Outbound outbound = new Outbound(socket, 2, PING, timers, () -> { });
        outbound.start();

        assertTrue(outbound.send("1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.sending);
        assertTrue(outbound.send("2"));
        assertTrue(outbound.send("3"));
        assertFalse(outbound.send("4"));
        assertFalse(outbound.send("5"));
        socket.release();

        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.TOO_SLOW).equals(socket.closeCode));
        assertEquals(List.of("1"), socket.texts);
    }

    private ClientSession session(RecordingSocket socket, int capacity) {
        Outbound outbound = new Outbound(socket, capacity + 8, PING, timers, () -> { });
        ClientSession session = new ClientSession(outbound, capacity, metrics);
        AckCoalescer acks = new AckCoalescer(userSeq -> {
            acksPublished.add(userSeq);
            return CompletableFuture.completedFuture(null);
        }, session::send, timers, Duration.ZERO);
        TypingThrottle typing = new TypingThrottle((c, a) -> CompletableFuture.completedFuture(null), session::send,
                timers, Duration.ofSeconds(1));
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), Instant.MAX, acks, typing);
        outbound.start();
        return session;
    }

    /** Each frame as its type, or its userSeq for a message. */
    private static List<String> summary(List<String> texts) {
        return texts.stream().map(t -> t.startsWith("{\"type\":\"message\"")
                ? t.replaceAll(".*\"userSeq\":(\\d+).*", "$1")
                : t.replaceAll("^\\{\"type\":\"([a-z]+)\".*", "$1")).toList();
    }

    private static LoggedEvent event(long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent("u1", new ChatMessage("c1", userSeq, "m" + userSeq,
                "client-" + userSeq, "u2", "d2", "body", TS, null, null, List.of(), false)));
    }
}
