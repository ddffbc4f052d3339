package io.kchat.assistant.answer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class UserRateLimiterTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final Duration MINUTE = Duration.ofMinutes(1);

    @Test
    void allowsTheRatePerSlidingMinuteAndPerUser() {
        UserRateLimiter limiter = new UserRateLimiter(3, MINUTE);

        assertTrue(limiter.tryAcquire("alice", T0));
        assertTrue(limiter.tryAcquire("alice", T0.plusSeconds(20)));
        assertTrue(limiter.tryAcquire("alice", T0.plusSeconds(40)));
        assertFalse(limiter.tryAcquire("alice", T0.plusSeconds(59)));
        assertTrue(limiter.tryAcquire("bob", T0.plusSeconds(59)));
        // the first question leaves the window a minute after it: one more fits, not two
        assertTrue(limiter.tryAcquire("alice", T0.plusSeconds(60)));
        assertFalse(limiter.tryAcquire("alice", T0.plusSeconds(61)));
        assertTrue(limiter.tryAcquire("alice", T0.plusSeconds(80)));
    }

    @Test
    void refusedQuestionsDoNotCount() {
        UserRateLimiter limiter = new UserRateLimiter(1, MINUTE);
        assertTrue(limiter.tryAcquire("alice", T0));
        for (int i = 1; i < 50; i++) {
            assertFalse(limiter.tryAcquire("alice", T0.plusSeconds(i)));
        }

        assertTrue(limiter.tryAcquire("alice", T0.plusSeconds(60)));
    }

    @Test
    void forgetsUsersWhoseMinuteIsOver() {
        UserRateLimiter limiter = new UserRateLimiter(5, MINUTE);
        for (int i = 0; i < 100; i++) {
            limiter.tryAcquire("user-" + i, T0);
        }
        assertEquals(100, limiter.users());

        limiter.tryAcquire("late", T0.plus(MINUTE).plusSeconds(1));

        assertEquals(1, limiter.users());
    }
}
