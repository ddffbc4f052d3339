package io.kchat.gateway.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.MutableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class KeyedRateLimiterTest {

    private final MutableClock clock = new MutableClock(Instant.parse("2030-01-01T00:00:00Z"));

    @Test
    void eachKeyHasItsOwnBucket() {
        KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(new RateLimit(1, 2), 100, clock);
        assertTrue(limiter.acquire("a").admitted());
        assertTrue(limiter.acquire("a").admitted());
        KeyedRateLimiter.Verdict refused = limiter.acquire("a");
        assertFalse(refused.admitted());
        assertEquals(Duration.ofSeconds(1), refused.retryAfter());
        assertTrue(limiter.acquire("b").admitted(), "another key is unaffected");
    }

    @Test
    void idleKeysAreEvicted() {
        // refill time 4 s, so a sweep runs at most every 4 s
        KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(new RateLimit(1, 4), 100, clock);
        for (int i = 0; i < 50; i++) {
            limiter.acquire("key-" + i);
        }
        clock.advance(Duration.ofSeconds(3));
        for (int i = 0; i < 4; i++) {
            assertTrue(limiter.acquire("busy").admitted());
        }
        assertEquals(51, limiter.size());

        clock.advance(Duration.ofSeconds(1)); // the key-i buckets are full again; "busy" has 1 token of 4
        assertTrue(limiter.acquire("busy").admitted());
        assertEquals(1, limiter.size(), "only the key whose bucket is not full is kept");
        assertFalse(limiter.acquire("busy").admitted(), "and it kept its state");
    }

    @Test
    void aFullTableRefusesNewKeysUntilSomeAreIdle() {
        KeyedRateLimiter<String> limiter = new KeyedRateLimiter<>(new RateLimit(1, 1), 3, clock);
        assertTrue(limiter.acquire("a").admitted());
        assertTrue(limiter.acquire("b").admitted());
        assertTrue(limiter.acquire("c").admitted());
        assertFalse(limiter.acquire("d").admitted(), "no room, and every key is busy");
        assertEquals(3, limiter.size());

        clock.advance(Duration.ofSeconds(1));
        assertTrue(limiter.acquire("d").admitted(), "the idle keys made room");
        assertEquals(1, limiter.size());
    }
}
