package io.kchat.delivery.push;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The pause before the next try of a push: the service's {@code Retry-After} when it gave one, else exponential from
 * {@code initial} with jitter (between half and all of the doubled delay, so that pushes failing together do not come
 * back together); never more than {@code max}.
 */
final class Backoff {

    private final Duration initial;
    private final Duration max;

    Backoff(Duration initial, Duration max) {
        this.initial = initial;
        this.max = max;
    }

    /** @param failedAttempts tries made so far (at least 1) */
    Duration next(int failedAttempts, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return min(retryAfter.get(), max);
        }
        int doublings = Math.min(Math.max(0, failedAttempts - 1), 30);
        long ceiling = Math.min(max.toMillis(), initial.toMillis() << doublings);
        long jittered = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling - ceiling / 2 + 1);
        return Duration.ofMillis(Math.max(1, jittered));
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
