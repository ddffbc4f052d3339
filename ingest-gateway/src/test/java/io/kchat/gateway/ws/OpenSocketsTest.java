package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The drain of a stopping node, socket by socket: answers first, then 1001; bounded by its timeout. */
class OpenSocketsTest {

    private static final Duration PING = Duration.ofMinutes(1);
    private static final GatewayMetrics METRICS = new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC());
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final OpenSockets sockets = new OpenSockets();
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void theAnswerOfAFrameTakenLeavesBeforeThe1001AndNothingNewIsTaken() throws Exception {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = open(socket);
        assertTrue(session.frameTaken()); // a send whose produce the broker has not acknowledged yet

        CompletableFuture<DrainReport> drain = drainAsync(Duration.ofSeconds(10));
        await().atMost(WAIT).until(sockets::isDraining);
        assertFalse(session.frameTaken(), "a frame arriving during the drain is refused");
        assertFalse(sockets.admit(new ClientSession(new Outbound(new RecordingSocket(false), 8, PING, timers, () -> { }), 8,
                METRICS)),
                "no socket is admitted during the drain");
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> socket.closeCode == null);

        session.send(new ServerFrame.Ok("r1", "m1")); // the broker acknowledged: the ok is queued, then counted out
        session.frameAnswered();
        DrainReport report = drain.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals(CloseCodes.GOING_AWAY, socket.closeCode);
        assertEquals(List.of("{\"type\":\"ok\",\"ref\":\"r1\",\"id\":\"m1\"}"), socket.texts);
        assertEquals(new DrainReport(1, 1, 0, 0, 0, report.took()), report);
    }

    @Test
    void anUnansweredFrameDoesNotHoldTheDrainPastItsTimeoutAndAStuckSocketIsCut() throws Exception {
        RecordingSocket socket = new RecordingSocket(true); // a peer that reads nothing: writes block
        ClientSession session = open(socket);
        session.send(new ServerFrame.Pong(null)); // the writer blocks on it, the close would queue behind it
        await().atMost(WAIT).until(() -> socket.sending);
        assertTrue(session.frameTaken()); // and its answer never comes

        DrainReport report = drainAsync(Duration.ofMillis(300)).get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        assertEquals(new DrainReport(1, 1, 1, 1, 0, report.took()), report, "cut, and its session ended");
        assertNull(socket.closeCode, "no close frame could be written");
    }

    private CompletableFuture<DrainReport> drainAsync(Duration timeout) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return sockets.drain(timeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        });
    }

    /** A socket admitted as ChatWsListener does; its end (the writer stopping) takes it out again. */
    private ClientSession open(RecordingSocket socket) {
        AtomicReference<ClientSession> self = new AtomicReference<>();
        Outbound outbound = new Outbound(socket, 16, PING, timers, () -> sockets.ended(self.get()));
        ClientSession session = new ClientSession(outbound, 16, METRICS);
        self.set(session);
        outbound.start();
        assertTrue(sockets.admit(session));
        return session;
    }
}
