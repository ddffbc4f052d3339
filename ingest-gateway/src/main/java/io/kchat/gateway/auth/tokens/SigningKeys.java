package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.DataAccessException;
import io.kchat.gateway.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The access-token key ring, shared through PostgreSQL by every gateway: every non-retired key verifies, and
 * the newest key older than {@link #ACTIVATION_DELAY} signs (the oldest key while none is that old, e.g. on
 * the very first start). The delay lets every gateway learn a freshly rotated key before any gateway signs
 * with it.
 *
 * <p>The ring is reloaded from the database without a restart: when it is older than {@link #RELOAD_INTERVAL}
 * at its next use, and when a token names a kid this node does not know, at most once per
 * {@link #UNKNOWN_KID_RELOAD_INTERVAL} so that made-up kids cannot hammer the database.
 */
public final class SigningKeys implements KeyRing {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(60);
    public static final Duration UNKNOWN_KID_RELOAD_INTERVAL = Duration.ofSeconds(5);
    /** A reload interval for every gateway to see the key, plus the clock skew between the writer and them. */
    public static final Duration ACTIVATION_DELAY = RELOAD_INTERVAL.multipliedBy(2).plus(AuthConfig.CLOCK_SKEW);

    private final Database database;
    private final SigningKeyStore store;
    private final Clock clock;
    private volatile Ring ring;
    /** When the database was last asked, successfully or not. */
    private volatile Instant lastAttempt;

    private SigningKeys(Database database, SigningKeyStore store, Clock clock, Ring ring) {
        this.database = database;
        this.store = store;
        this.clock = clock;
        this.ring = ring;
        this.lastAttempt = ring.loadedAt();
    }

    /**
     * Loads the ring, generating the first key when there is none. Two gateways starting together agree
     * on one key: generation runs under a transaction-scoped advisory lock and reads back the newest.
     */
    public static SigningKeys load(Database database, Clock clock) {
        SigningKeyStore store = new SigningKeyStore();
        List<SigningKey> keys = database.inTransaction(connection -> {
            List<SigningKey> existing = store.active(connection);
            if (!existing.isEmpty()) {
                return existing;
            }
            store.lockGeneration(connection);
            existing = store.active(connection);
            if (existing.isEmpty()) {
                SigningKey generated = SigningKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
                store.insertIfAbsent(connection, generated);
                log.info("generated access-token signing key {}", generated.kid());
                existing = store.active(connection);
            }
            return existing;
        });
        return new SigningKeys(database, store, clock, Ring.of(keys, clock.instant()));
    }

    @Override
    public SigningKey current() {
        reloadIfOlderThan(RELOAD_INTERVAL);
        return signer(ring.newestFirst(), clock.instant());
    }

    /** Every key a token may be signed with, for the JWK set. */
    @Override
    public List<SigningKey> verificationKeys() {
        reloadIfOlderThan(RELOAD_INTERVAL);
        return ring.newestFirst();
    }

    @Override
    public Optional<SigningKey> verificationKey(String kid) {
        reloadIfOlderThan(RELOAD_INTERVAL);
        SigningKey key = ring.byKid().get(kid);
        if (key == null && SigningKey.isWellFormedKid(kid)) {
            reloadIfOlderThan(UNKNOWN_KID_RELOAD_INTERVAL);
            key = ring.byKid().get(kid);
        }
        return Optional.ofNullable(key);
    }

    /** Of non-retired keys (newest first), the one that signs at {@code now}. */
    static SigningKey signer(List<SigningKey> newestFirst, Instant now) {
        Instant matured = now.minus(ACTIVATION_DELAY);
        return newestFirst.stream()
                .filter(k -> !k.createdAt().isAfter(matured))
                .findFirst()
                .orElse(newestFirst.getLast());
    }

    private void reloadIfOlderThan(Duration age) {
        if (lastAttempt.plus(age).isAfter(clock.instant())) {
            return;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (lastAttempt.plus(age).isAfter(now)) {
                return; // another thread just did
            }
            lastAttempt = now;
            try {
                List<SigningKey> keys = database.withConnection(store::active);
                if (keys.isEmpty()) {
                    // every key retired by an operator while we run: keep ours rather than fail every login
                    log.warn("no active signing key in the database; keeping the {} loaded", ring.byKid().keySet());
                } else {
                    ring = Ring.of(keys, now);
                }
            } catch (DataAccessException e) {
                log.warn("cannot reload the signing keys; keeping the {} loaded", ring.byKid().keySet(), e);
            }
        }
    }

    private record Ring(List<SigningKey> newestFirst, Map<String, SigningKey> byKid, Instant loadedAt) {
        static Ring of(List<SigningKey> newestFirst, Instant loadedAt) {
            Map<String, SigningKey> byKid = new LinkedHashMap<>();
            newestFirst.forEach(k -> byKid.put(k.kid(), k));
            return new Ring(List.copyOf(newestFirst), Map.copyOf(byKid), loadedAt);
        }
    }
}
