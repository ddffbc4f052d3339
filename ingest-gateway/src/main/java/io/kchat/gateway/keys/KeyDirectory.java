package io.kchat.gateway.keys;

import io.kchat.gateway.auth.sessions.DeviceStore;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.limits.KeyedRateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The key directory of end-to-end encryption (D16): each device publishes its public keys, and those who may know a
 * user (the user, contacts, co-members, no block between them) fetch them and claim one-time pre-keys, each handed out
 * once. The server holds public keys only and checks them (points on the curve, the signed pre-key's signature).
 */
public final class KeyDirectory {

    /** A device to claim keys of. */
    public record DeviceRef(String userId, String deviceId) {
    }

    private record Uploaded(int oneTimePreKeyCount, List<KeyChangeNotices.Notice> notices) {
    }

    private final Database database;
    private final KeyChangeNotices notices;
    private final KeyLimits limits;
    private final Clock clock;
    private final KeyStore store = new KeyStore();
    private final DeviceStore devices = new DeviceStore();
    private final KeyAudience audience = new KeyAudience();
    private final KeyedRateLimiter<String> uploads;
    private final KeyedRateLimiter<String> claims;

    public KeyDirectory(Database database, KeyChangeNotices notices, KeyLimits limits, Clock clock) {
        this.database = database;
        this.notices = notices;
        this.limits = limits;
        this.clock = clock;
        this.uploads = new KeyedRateLimiter<>(limits.uploads(), 100_000, clock);
        this.claims = new KeyedRateLimiter<>(limits.claims(), 100_000, clock);
    }

    /**
     * Publishes this device's keys: the identity key is fixed for the device's life, the signed pre-key replaced,
     * one-time pre-keys added. Those who may know the user are told when the device's keys are new or its signed
     * pre-key changed; a top-up of one-time pre-keys alone changes nothing they fetch.
     *
     * @throws Refusal 400 malformed key, bad signature, another identity key or too many one-time pre-keys; 429 too
     *                 many uploads, or a signed pre-key replaced within {@link KeyLimits#signedPreKeyEvery()}
     */
    public KeyViews.PreKeyCount upload(String userId, String deviceId, KeyUpload body) {
        admit(uploads, userId, "too many key uploads");
        ValidUpload upload = KeyUploads.validate(body, limits);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Uploaded done = database.inTransaction(connection -> {
            // the device's row locked first: two uploads of one device take turns (the first one's identity is the
            // one the second is compared with), and a logout waits instead of breaking the insert's foreign key
            if (!devices.lock(connection, userId, deviceId)) {
                throw Refusal.notFound("device not found", "this device was logged out");
            }
            Optional<KeyStore.DeviceRow> current = store.deviceOf(connection, userId, deviceId);
            if (current.isPresent() && !Arrays.equals(current.get().identityKey(), upload.identityKey())) {
                throw Refusal.invalid("identity key changed", "a device keeps its identity key; log in as a new "
                        + "device to use another").withReason("identity_key_changed");
            }
            boolean replacesSignedPreKey = current.isPresent()
                    && (!current.get().signedPreKeyId().equals(upload.signedPreKeyId())
                    || !Arrays.equals(current.get().signedPreKey(), upload.signedPreKey()));
            if (replacesSignedPreKey) {
                Instant allowedFrom = current.get().signedAt().plus(limits.signedPreKeyEvery());
                if (now.isBefore(allowedFrom)) {
                    long seconds = Math.max(1, Duration.between(now, allowedFrom).toSeconds());
                    throw Refusal.rateLimited("signed pre-key replaced too recently", "a device replaces its signed "
                            + "pre-key at most every " + limits.signedPreKeyEvery().toMinutes() + " min", seconds)
                            .withReason("signed_prekey_too_recent");
                }
            }
            int kept = store.countOneTimeKeys(connection, userId, deviceId);
            if (kept + upload.oneTimePreKeys().size() > limits.oneTimePreKeysStored()) {
                throw Refusal.invalid("too many one-time pre-keys", "a device keeps at most "
                        + limits.oneTimePreKeysStored() + "; it has " + kept).withReason("too_many_prekeys");
            }
            store.upsertDevice(connection, userId, deviceId, upload, now);
            store.addOneTimeKeys(connection, userId, deviceId, upload.oneTimePreKeys(), now);
            return new Uploaded(store.countOneTimeKeys(connection, userId, deviceId),
                    current.isEmpty() || replacesSignedPreKey ? notices.append(connection, userId, now) : List.of());
        });
        notices.publish(done.notices());
        return new KeyViews.PreKeyCount(done.oneTimePreKeyCount());
    }

    public KeyViews.PreKeyCount count(String userId, String deviceId) {
        return new KeyViews.PreKeyCount(database.withConnection(connection ->
                store.countOneTimeKeys(connection, userId, deviceId)));
    }

    /** @throws Refusal 404 unless the viewer may know the user (the answer for an unknown user too) */
    public KeyViews.UserKeysView keysOf(String viewerId, String ownerId) {
        return database.withConnection(connection -> {
            if (!audience.mayKnow(connection, viewerId, ownerId)) {
                throw Refusal.notFound("user not found");
            }
            return new KeyViews.UserKeysView(ownerId,
                    store.devicesOf(connection, ownerId).stream().map(KeyViews::device).toList());
        });
    }

    /**
     * Each named device's keys with one of its one-time pre-keys, taken out of the directory; a device without
     * published keys is left out of the answer.
     *
     * @throws Refusal 400 an empty, oversized or malformed list; 404 when a named user may not be known; 429
     */
    public KeyViews.ClaimsView claim(String viewerId, List<DeviceRef> devices) {
        admit(claims, viewerId, "too many key claims");
        if (devices == null || devices.isEmpty()) {
            throw Refusal.invalid("invalid request", "devices must name at least one device");
        }
        if (devices.size() > limits.devicesPerClaim()) {
            throw Refusal.invalid("invalid request", "at most " + limits.devicesPerClaim() + " devices per claim");
        }
        Set<DeviceRef> distinct = new LinkedHashSet<>();
        for (DeviceRef device : devices) {
            if (device == null || device.userId() == null || device.deviceId() == null) {
                throw Refusal.invalid("invalid request", "each device needs userId and deviceId");
            }
            distinct.add(device);
        }
        return database.inTransaction(connection -> {
            for (String owner : distinct.stream().map(DeviceRef::userId).distinct().toList()) {
                if (!audience.mayKnow(connection, viewerId, owner)) {
                    throw Refusal.notFound("user not found");
                }
            }
            List<KeyViews.ClaimedView> claimed = new ArrayList<>();
            for (DeviceRef device : distinct) {
                Optional<KeyStore.DeviceRow> row = store.deviceOf(connection, device.userId(), device.deviceId());
                if (row.isEmpty()) {
                    continue;
                }
                KeyViews.OneTimePreKeyView oneTime = store.claimOneTimeKey(connection, device.userId(),
                                device.deviceId())
                        .map(key -> new KeyViews.OneTimePreKeyView(key.keyId(), KeyUploads.encode(key.publicKey())))
                        .orElse(null);
                claimed.add(new KeyViews.ClaimedView(device.userId(), device.deviceId(),
                        KeyUploads.encode(row.get().identityKey()), KeyViews.signed(row.get()), oneTime));
            }
            return new KeyViews.ClaimsView(claimed);
        });
    }

    private static void admit(KeyedRateLimiter<String> limiter, String userId, String title) {
        KeyedRateLimiter.Verdict verdict = limiter.acquire(userId);
        if (!verdict.admitted()) {
            long seconds = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
            throw Refusal.rateLimited(title, "try again in " + seconds + " s", seconds);
        }
    }
}
