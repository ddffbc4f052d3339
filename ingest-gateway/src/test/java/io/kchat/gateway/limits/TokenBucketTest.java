package io.kchat.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.MutableClock;
import io.kchat.settings.Settings;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void aBurstThenTheRate() {
        TokenBucket bucket = new TokenBucket(new RateLimit(2, 3), clock);
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake(), "the burst is spent");
        assertEquals(Duration.ofMillis(500), bucket.untilNextToken());

        clock.advance(Duration.ofMillis(499));
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofMillis(1));
        assertTrue(bucket.tryTake(), "2 per second: one every 500 ms");
        assertFalse(bucket.tryTake());
    }

    @Test
    void refillsNoFurtherThanTheBurst() {
        TokenBucket bucket = new TokenBucket(new RateLimit(10, 2), clock);
        bucket.tryTake();
        assertFalse(bucket.isFull());
        clock.advance(Duration.ofHours(1));
        assertTrue(bucket.isFull());
        assertTrue(bucket.tryTake());
        assertTrue(bucket.tryTake());
        assertFalse(bucket.tryTake(), "an hour idle is worth the burst, not 36000 tokens");
    }

    @Test
    void aClockSteppingBackRefillsNothing() {
        TokenBucket bucket = new TokenBucket(new RateLimit(1, 1), clock);
        assertTrue(bucket.tryTake());
        clock.advance(Duration.ofSeconds(-30));
        assertFalse(bucket.tryTake());
        clock.advance(Duration.ofSeconds(1));
        assertTrue(bucket.tryTake(), "the refill resumes from the new reading");
    }

    @Test
    void fractionalRates() {
        TokenBucket bucket = new TokenBucket(new RateLimit(0.5, 1), clock);
        assertTrue(bucket.tryTake());
        assertEquals(Duration.ofSeconds(2), bucket.untilNextToken());
    }

    @Test
    void limitsAreValidatedAndReadFromTheEnvironment() {
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(Double.NaN, 1));
        assertThrows(IllegalArgumentException.class, () -> new RateLimit(1, 0));
        RateLimit fallback = new RateLimit(20, 40);
        RateLimitSetting setting = RateLimitSetting.of("X", fallback, "x");
        assertEquals(fallback, setting.read(Settings.of(Map.of())));
        assertEquals(new RateLimit(2.5, 40), setting.read(Settings.of(Map.of("X", "2.5"))));
        assertEquals(new RateLimit(20, 7), setting.read(Settings.of(Map.of("X_BURST", " 7 "))));
        assertThrows(IllegalArgumentException.class, () -> setting.read(Settings.of(Map.of("X", "0"))));
        assertEquals(Duration.ofSeconds(2), fallback.refillTime());
    }
}
