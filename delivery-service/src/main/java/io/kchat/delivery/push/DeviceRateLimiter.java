package io.kchat.delivery.push;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code perMinute} pushes per device, as a token bucket holding a minute's worth (so a burst after a quiet
 * spell is allowed, a chatty group is not a push storm). In memory and per instance: a user's PushDues all land on
 * one partition, so one instance sees all of a device's pushes but for a rebalance.
 */
final class DeviceRateLimiter {

    /** Buckets kept before the full ones (idle devices) are forgotten. */
    private static final int MAX_TRACKED = 100_000;

    private final double capacity;
    private final double perMilli;
    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private static final class Bucket {
        double tokens;
        long updatedMillis;

        Bucket(double tokens, long updatedMillis) {
            this.tokens = tokens;
            this.updatedMillis = updatedMillis;
        }
    }

    DeviceRateLimiter(int perMinute, Clock clock) {
        this.capacity = perMinute;
        this.perMilli = perMinute / 60_000.0;
        this.clock = clock;
    }

    /** Takes a token for the device; false when its bucket is empty. */
    boolean tryAcquire(String userId, String deviceId) {
        long now = clock.millis();
        if (buckets.size() > MAX_TRACKED) {
            forgetFull(now);
        }
        Bucket bucket = buckets.computeIfAbsent(userId + '\u0000' + deviceId, k -> new Bucket(capacity, now));
        synchronized (bucket) {
            refill(bucket, now);
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens -= 1;
            return true;
        }
    }

    private void refill(Bucket bucket, long now) {
        bucket.tokens = Math.min(capacity, bucket.tokens + Math.max(0, now - bucket.updatedMillis) * perMilli);
        bucket.updatedMillis = Math.max(bucket.updatedMillis, now);
    }

    private void forgetFull(long now) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                refill(bucket, now);
                return bucket.tokens >= capacity;
            }
        });
    }
}
