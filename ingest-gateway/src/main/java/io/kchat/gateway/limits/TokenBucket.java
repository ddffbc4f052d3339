package io.kchat.gateway.limits;

import java.time.Clock;
import java.time.Duration;

/**
 * One token bucket ({@link RateLimit}) on an injected clock. Thread-safe; a bucket starts full. A clock stepping
 * backwards refills nothing (and blocks nothing: the refill resumes from the new reading).
 */
public final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1e9;

    private final RateLimit limit;
    private final Clock clock;
    private double tokens;
    private long refilledAt;

    public TokenBucket(RateLimit limit, Clock clock) {
        this.limit = limit;
        this.clock = clock;
        this.tokens = limit.burst();
        this.refilledAt = nanos();
    }

    /** Takes one token if there is one. */
    public synchronized boolean tryTake() {
        refill();
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }

    /** How long until a token is there (zero when one is there now). */
    public synchronized Duration untilNextToken() {
        refill();
        return tokens >= 1 ? Duration.ZERO
                : Duration.ofNanos((long) Math.ceil((1 - tokens) / limit.perSecond() * NANOS_PER_SECOND));
    }

    /** A full bucket behaves as a new one: a keyed limiter may forget it. */
    public synchronized boolean isFull() {
        refill();
        return tokens >= limit.burst();
    }

    private void refill() {
        long now = nanos();
        long elapsed = now - refilledAt;
        if (elapsed > 0) {
            tokens = Math.min(limit.burst(), tokens + elapsed / NANOS_PER_SECOND * limit.perSecond());
        }
        // a step back refills nothing, and the refill goes on from the new reading rather than waiting for the old
        refilledAt = now;
    }

    private long nanos() {
        var instant = clock.instant();
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
