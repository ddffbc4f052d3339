package io.kchat.gateway.keys;

import io.kchat.gateway.limits.RateLimit;

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
 */
public record KeyLimits(int oneTimePreKeysPerUpload, int oneTimePreKeysStored, int devicesPerClaim, RateLimit uploads,
                        RateLimit claims) {

    public static final KeyLimits DEFAULT = new KeyLimits(100, 500, 200, new RateLimit(1.0 / 6, 10),
            new RateLimit(2.0, 30));
}
