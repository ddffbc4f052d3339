package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.UserEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** D4 per socket: nothing before ready, userSeq order, redeliveries dropped; a full queue closes with 4010. */
class ClientSessionTest {

    private static final Duration PING = Duration.ofMinutes(1);

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
    void aFullQueueClosesWith4010() {
        RecordingSocket socket = new RecordingSocket(true);
        Outbound outbound = new Outbound(socket, 2, PING, () -> { });
        outbound.start();

        assertTrue(outbound.send("1"));
        await().atMost(Duration.ofSeconds(5)).until(() -> socket.sending);
        assertTrue(outbound.send("2"));
        assertTrue(outbound.send("3"));
        assertFalse(outbound.send("4"));
        assertFalse(outbound.send("5"));
        socket.release();

        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(Outbound.TOO_SLOW).equals(socket.closeCode));
        assertEquals(List.of("1"), socket.texts);
    }

    private static ClientSession session(RecordingSocket socket, int capacity) {
        Outbound outbound = new Outbound(socket, capacity, PING, () -> { });
        ClientSession session = new ClientSession(outbound, capacity);
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), Instant.MAX);
        outbound.start();
        return session;
    }

    private static LoggedEvent event(long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent("u1", new ChatMessage("c1", userSeq, "m" + userSeq,
                "client-" + userSeq, "u2", "d2", "body", Instant.parse("2030-01-01T00:00:00Z"))));
    }
}
