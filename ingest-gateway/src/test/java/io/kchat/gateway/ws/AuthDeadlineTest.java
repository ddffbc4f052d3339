package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** A socket opened without a token has the auth timeout to authenticate; then it is closed (4002). */
class AuthDeadlineTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final ManualTimers timers = new ManualTimers();
    private final RecordingSocket socket = new RecordingSocket(false);
    private final ClientSession session = new ClientSession(
            new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16,
            new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
    private final AuthDeadline deadline = new AuthDeadline(TIMEOUT, timers);

    @Test
    void aSocketStillUnauthenticatedAtTheDeadlineIsClosed4002() {
        deadline.start(session);
        timers.advance(TIMEOUT.minusMillis(1));
        assertFalse(session.isClosing());

        timers.advance(Duration.ofMillis(1));
        assertTrue(session.isClosing());
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.AUTH_TIMEOUT).equals(socket.closeCode));
    }

    @Test
    void aSocketAuthenticatedInTimeStaysOpenEvenIfTheDeadlineFires() {
        deadline.start(session);
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), Instant.MAX, null, null);
        timers.advance(TIMEOUT);
        assertFalse(session.isClosing());
    }

    @Test
    void aStoppedDeadlineHoldsNoTimer() {
        deadline.start(session);
        deadline.stop();
        assertEquals(0, timers.pending());
        deadline.start(session);
        assertEquals(0, timers.pending(), "nothing is set once stopped");
    }
}
