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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A socket lives no longer than its token, unless an auth frame of the same device extended it. */
class TokenExpiryTest {

    private static final Instant EXPIRES = ManualTimers.START.plus(Duration.ofMinutes(15));

    private final ManualTimers timers = new ManualTimers();
    private final RecordingSocket socket = new RecordingSocket(false);
    private final ClientSession session = new ClientSession(
            new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16,
            new GatewayMetrics(new SimpleMeterRegistry(), Clock.systemUTC()));
    private final TokenExpiry expiry = new TokenExpiry(timers, timers.clock());

    @BeforeEach
    void authenticate() {
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), EXPIRES, null, null);
    }

    @Test
    void theSocketIsClosed4001WhenItsTokenExpires() {
        expiry.start(session);
        timers.advance(Duration.ofMinutes(15).minusMillis(1));
        assertFalse(session.isClosing());

        timers.advance(Duration.ofMillis(1));
        assertTrue(session.isClosing());
        await().atMost(Duration.ofSeconds(5)).until(() -> Integer.valueOf(CloseCodes.AUTH_FAILED).equals(socket.closeCode));
    }

    @Test
    void anExtensionAfterTheCheckWasScheduledIsWaitedFor() {
        expiry.start(session);
        timers.advance(Duration.ofMinutes(10));
        session.extend(EXPIRES.plus(Duration.ofMinutes(15))); // a fresh token of the same device

        timers.advance(Duration.ofMinutes(20).minusMillis(1));
        assertFalse(session.isClosing(), "the check at the old expiry waits for the new one");
        timers.advance(Duration.ofMillis(1));
        assertTrue(session.isClosing());
    }

    @Test
    void aStoppedExpiryClosesNothingAndHoldsNoTimer() {
        expiry.start(session);
        expiry.stop();
        assertEquals(0, timers.pending(), "a cancelled timer would hold the socket until the token expires");

        expiry.start(session); // a registration that raced the socket's end
        assertEquals(0, timers.pending());
        timers.advance(Duration.ofHours(1));
        assertFalse(session.isClosing());
    }
}
