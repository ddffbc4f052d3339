package io.kchat.gateway.limits;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One {@link TokenBucket} per key (a user, a client address), in bounded memory: a bucket left alone until it
 * is full again holds no information and is evicted by a sweep, which runs at most once per refill time (and at
 * most once a second when the table is full). When the table is full of busy keys a new key is refused: a flood
 * of new keys is throttled rather than growing the heap. Thread-safe.
 */
public final class KeyedRateLimiter<K> {

    /** Admitted, or refused with how long until the key has a token again. */
    public record Verdict(boolean admitted, Duration retryAfter) {
        static final Verdict ADMITTED = new Verdict(true, Duration.ZERO);
    }

    /** A full table may be swept this often, however short the refill time. */
    private static final long FULL_SWEEP_INTERVAL_MILLIS = 1_000;

    private final RateLimit limit;
    /** Checked before inserting, not atomically with it: concurrent new keys may pass it by a few. */
    private final int maxKeys;
    private final Clock clock;
    private final long sweepIntervalMillis;
    private final ConcurrentHashMap<K, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final AtomicLong lastSweep;

    public KeyedRateLimiter(RateLimit limit, int maxKeys, Clock clock) {
        if (maxKeys < 1) {
            throw new IllegalArgumentException("maxKeys must be >= 1: " + maxKeys);
        }
        this.limit = limit;
        this.maxKeys = maxKeys;
        this.clock = clock;
        this.sweepIntervalMillis = Math.max(1_000, limit.refillTime().toMillis());
        this.lastSweep = new AtomicLong(clock.millis());
    }

    public Verdict acquire(K key) {
        sweepIfDue(sweepIntervalMillis);
        if (buckets.size() >= maxKeys && !buckets.containsKey(key)) {
            sweepIfDue(FULL_SWEEP_INTERVAL_MILLIS);
            if (buckets.size() >= maxKeys) {
                return new Verdict(false, limit.refillTime());
            }
        }
        boolean[] taken = new boolean[1];
        // compute: the take happens under the key's lock, so a sweep cannot drop a bucket between get and take
        TokenBucket bucket = buckets.compute(key, (k, b) -> {
            TokenBucket current = b == null ? new TokenBucket(limit, clock) : b;
            taken[0] = current.tryTake();
            return current;
        });
        return taken[0] ? Verdict.ADMITTED : new Verdict(false, bucket.untilNextToken());
    }

    /** Keys currently tracked. */
    public int size() {
        return buckets.size();
    }

    /** One thread sweeps, when the last sweep is at least {@code intervalMillis} old; the others go on. */
    private void sweepIfDue(long intervalMillis) {
        long now = clock.millis();
        long last = lastSweep.get();
        if (now - last < intervalMillis || !lastSweep.compareAndSet(last, now)) {
            return;
        }
        buckets.keySet().forEach(key -> buckets.computeIfPresent(key, (k, b) -> b.isFull() ? null : b));
    }
}
