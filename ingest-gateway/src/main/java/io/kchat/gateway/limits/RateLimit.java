package io.kchat.gateway.limits;

import java.time.Duration;

/**
 * A token-bucket limit: {@code burst} tokens at most, refilled at {@code perSecond}; each admitted event takes one.
 * A client may therefore send {@code burst} events at once, then {@code perSecond} on average.
 */
public record RateLimit(double perSecond, int burst) {

    public RateLimit {
        if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
            throw new IllegalArgumentException("a rate must be a positive number per second: " + perSecond);
        }
        if (burst < 1) {
            throw new IllegalArgumentException("a burst must be >= 1: " + burst);
        }
    }

    /** How long an empty bucket takes to fill up again: after that long unused, a bucket carries no state. */
    public Duration refillTime() {
        return Duration.ofNanos((long) Math.ceil(burst / perSecond * 1e9));
    }
}
