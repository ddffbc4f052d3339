package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RetryDelaysTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void theCeilingDoublesUpToTheMaximumAndTheJitterPicksBelowIt() {
        RetryDelays top = new RetryDelays(SECOND, Duration.ofSeconds(5), () -> 1.0);
        assertEquals(SECOND, top.before(1, Optional.empty()));
        assertEquals(Duration.ofSeconds(2), top.before(2, Optional.empty()));
        assertEquals(Duration.ofSeconds(4), top.before(3, Optional.empty()));
        assertEquals(Duration.ofSeconds(5), top.before(4, Optional.empty()));
        assertEquals(Duration.ofSeconds(5), top.before(60, Optional.empty()));

        RetryDelays half = new RetryDelays(SECOND, Duration.ofSeconds(5), () -> 0.5);
        assertEquals(Duration.ofMillis(1000), half.before(2, Optional.empty()));
        RetryDelays none = new RetryDelays(SECOND, Duration.ofSeconds(5), () -> 0.0);
        assertEquals(Duration.ZERO, none.before(3, Optional.empty()));
    }

    @Test
    void retryAfterWinsButIsCapped() {
        RetryDelays delays = new RetryDelays(SECOND, Duration.ofSeconds(5), () -> 0.0);
        assertEquals(Duration.ofSeconds(3), delays.before(1, Optional.of(Duration.ofSeconds(3))));
        assertEquals(Duration.ofSeconds(5), delays.before(1, Optional.of(Duration.ofHours(1))));
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDate() {
        Instant now = Instant.parse("2026-12-08T01:00:00Z");
        assertEquals(Optional.of(Duration.ofSeconds(7)), RetryDelays.retryAfter(" 7 ", now));
        assertEquals(Optional.of(Duration.ofSeconds(30)),
                RetryDelays.retryAfter("Tue, 08 Dec 2026 01:00:30 GMT", now));
        assertEquals(Optional.of(Duration.ZERO), RetryDelays.retryAfter("Tue, 08 Dec 2026 00:59:00 GMT", now));
        assertEquals(Optional.empty(), RetryDelays.retryAfter("soon", now));
        assertEquals(Optional.empty(), RetryDelays.retryAfter("-5", now));
    }
}
