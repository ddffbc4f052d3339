package io.kchat.gateway.keys;

import io.kchat.gateway.limits.RateLimit;
import java.time.Duration;

/**
 * Bounds of the key directory. Uploads and claims are rate-limited per user: a claim hands out one-time pre-keys,
 * which a user draining someone else's supply would turn into a denial of service (their contacts would fall back to
 * the signed pre-key alone).
 *
 * @param oneTimePreKeysPerUpload one-time pre-keys in one upload
 * @param oneTimePreKeysStored    one-time pre-keys kept per device; an upload that would pass it is refused
 * @param devicesPerClaim         devices named in one claim (the envelopes of one encrypted send are bounded too)
 * @param uploads                 uploads per user
 * @param claims                  claims per user
 * @param signedPreKeyEvery       how often at most a device replaces its signed pre-key: each replacement is a durable
 *                                {@code keys} event in the log of every contact and co-member, so it is bounded far
 *                                below the upload rate (clients rotate it every few days)
 */
public record KeyLimits(int oneTimePreKeysPerUpload, int oneTimePreKeysStored, int devicesPerClaim, RateLimit uploads,
                        RateLimit claims, Duration signedPreKeyEvery) {

    public static final KeyLimits DEFAULT = new KeyLimits(100, 500, 200, new RateLimit(1.0 / 6, 10),
            new RateLimit(2.0, 30), Duration.ofHours(1));
}
