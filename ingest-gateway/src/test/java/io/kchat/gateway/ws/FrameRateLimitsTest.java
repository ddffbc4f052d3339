package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.limits.RateLimit;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FrameRateLimitsTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));
    private final ConnectionLimits limits = ConnectionLimits.defaults()
            .withRates(new RateLimit(1, 3), new RateLimit(1, 4), new RateLimit(1, 2));
    private final KeyedRateLimiter<String> users = new KeyedRateLimiter<>(limits.perUser(), 100, clock);

    @Test
    void refusesPastTheConnectionBurstThenClosesPastTheRefusals() {
        FrameRateLimits rates = new FrameRateLimits(limits, users, clock);
        assertEquals(FrameRateLimits.Outcome.ADMITTED, rates.admit(null));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, rates.admit(null));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, rates.admit(null));
        assertEquals(FrameRateLimits.Outcome.REFUSED, rates.admit(null));
        assertEquals(FrameRateLimits.Outcome.REFUSED, rates.admit(null));
        assertEquals(FrameRateLimits.Outcome.CLOSE, rates.admit(null));
    }

    @Test
    void aClientThatSlowsDownIsServedAgain() {
        FrameRateLimits rates = new FrameRateLimits(limits, users, clock);
        for (int i = 0; i < 3; i++) {
            rates.admit("user-a");
        }
        assertEquals(FrameRateLimits.Outcome.REFUSED, rates.admit("user-a"));
        clock.advance(Duration.ofSeconds(1));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, rates.admit("user-a"));
    }

    @Test
    void theSocketsOfAUserShareItsBucketButNotTheirOwn() {
        FrameRateLimits phone = new FrameRateLimits(limits, users, clock);
        FrameRateLimits laptop = new FrameRateLimits(limits, users, clock);
        assertEquals(FrameRateLimits.Outcome.ADMITTED, phone.admit("user-a"));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, phone.admit("user-a"));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, laptop.admit("user-a"));
        assertEquals(FrameRateLimits.Outcome.ADMITTED, laptop.admit("user-a"));
        assertEquals(FrameRateLimits.Outcome.REFUSED, laptop.admit("user-a"), "the user's 4 are spent");
        assertEquals(FrameRateLimits.Outcome.ADMITTED, new FrameRateLimits(limits, users, clock).admit("user-b"),
                "another user's are not");
    }
}
