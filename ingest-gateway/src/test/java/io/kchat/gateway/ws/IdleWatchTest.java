package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Silence is measured on the monotonic clock: pinged halfway through the idle timeout, closed (4008) at its end. */
class IdleWatchTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualTimers timers = new ManualTimers();
    private final RecordingSocket socket = new RecordingSocket(false);
    private final ClientSession session = new ClientSession(
            new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16,
            new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
    private final IdleWatch idle = new IdleWatch(TIMEOUT, timers, timers::nanoTime);

    @Test
    void aQuietClientIsPingedHalfwayThroughAndClosedAtTheTimeout() {
        idle.start(session);
        timers.advance(Duration.ofMillis(4_999));
        timers.advance(Duration.ofMillis(1)); // halfway: pinged
        timers.advance(Duration.ofMillis(4_999));
        assertFalse(session.isClosing(), "a ping's answer is awaited until the timeout");

        timers.advance(Duration.ofMillis(1));
        assertTrue(session.isClosing());
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.IDLE).equals(socket.closeCode));
        assertEquals(1, socket.pings, "one ping, halfway through");
    }

    @Test
    void somethingHeardPutsTheTimeoutOffFromThere() {
        idle.start(session);
        timers.advance(Duration.ofSeconds(4));
        idle.heard(); // a frame, a ping or a pong
        timers.advance(Duration.ofSeconds(10).minusMillis(1));
        assertFalse(session.isClosing(), "quiet for less than the timeout since it was heard");

        timers.advance(Duration.ofMillis(1));
        assertTrue(session.isClosing());
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.IDLE).equals(socket.closeCode));
        assertEquals(1, socket.pings, "pinged halfway through its last silence only");
    }

    @Test
    void aStoppedWatchSchedulesNothingMore() {
        idle.start(session);
        timers.advance(Duration.ofSeconds(5)); // the halfway check ran and scheduled the next one
        idle.stop();

        assertEquals(0, timers.pending());
        timers.advance(Duration.ofMinutes(10));
        assertFalse(session.isClosing());
    }
}
