package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Which of a connection's timers run when: the deadline only for a socket without a token, none after the end. */
class ConnectionTimersTest {

    private static final Duration AUTH_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

    private final ManualTimers timers = new ManualTimers();
    private final ClientSession session = new ClientSession(
            new Outbound(new RecordingSocket(false), 16, Duration.ofHours(1), timers, () -> { }), 16,
            new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
    private final ConnectionTimers connection = new ConnectionTimers(timers, timers.clock(), timers::nanoTime,
            AUTH_TIMEOUT, IDLE_TIMEOUT);

    @Test
    void aSocketAuthenticatedAtItsUpgradeHasNoDeadline() {
        connection.admitted(session, true);
        assertEquals(1, timers.pending(), "the idle watch only");
        timers.advance(AUTH_TIMEOUT);
        assertFalse(session.isClosing());
    }

    @Test
    void theDeadlineEndsWithTheRegistrationAndTheTokensExpiryIsWatchedFromThen() {
        connection.admitted(session, false);
        assertEquals(2, timers.pending(), "the idle watch and the deadline");
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), ManualTimers.START.plusSeconds(30), null, null);
        connection.authenticated(session);
        assertEquals(2, timers.pending(), "the idle watch and the expiry");

        timers.advance(Duration.ofSeconds(30));
        assertTrue(session.isClosing(), "the token expired");
    }

    @Test
    void stoppingLeavesNothingScheduled() {
        connection.admitted(session, false);
        connection.stop();
        connection.authenticated(session); // a registration that raced the end
        assertEquals(0, timers.pending());
    }
}
