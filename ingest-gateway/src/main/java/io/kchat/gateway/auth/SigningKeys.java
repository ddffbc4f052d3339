package io.kchat.gateway.auth;

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
 * The access-token key ring, shared through PostgreSQL by every gateway: the newest active key signs,
 * every non-retired key verifies. A token naming a kid this node has not seen (another gateway rotated)
 * reloads the ring, at most once per {@link #RELOAD_INTERVAL} so that made-up kids cannot hammer the
 * database.
 */
public final class SigningKeys implements KeyRing {

    private static final Logger log = LoggerFactory.getLogger(SigningKeys.class);
    static final Duration RELOAD_INTERVAL = Duration.ofSeconds(30);

    private final Database database;
    private final SigningKeyStore store;
    private final Clock clock;
    private volatile Ring ring;

    private SigningKeys(Database database, SigningKeyStore store, Clock clock, Ring ring) {
        this.database = database;
        this.store = store;
        this.clock = clock;
        this.ring = ring;
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
        return ring.current();
    }

    /** Every key a token may be signed with, for the JWK set. */
    @Override
    public List<SigningKey> verificationKeys() {
        reloadIfOlderThan(RELOAD_INTERVAL);
        return List.copyOf(ring.byKid().values());
    }

    @Override
    public Optional<SigningKey> verificationKey(String kid) {
        SigningKey key = ring.byKid().get(kid);
        if (key == null) {
            reloadIfOlderThan(RELOAD_INTERVAL);
            key = ring.byKid().get(kid);
        }
        return Optional.ofNullable(key);
    }

    private synchronized void reloadIfOlderThan(Duration age) {
        Instant now = clock.instant();
        if (ring.loadedAt().plus(age).isAfter(now)) {
            return;
        }
        List<SigningKey> keys = database.withConnection(store::active);
        if (keys.isEmpty()) {
            // every key retired by an operator while we run: keep signing with ours rather than fail logins
            log.warn("no active signing key in the database; keeping {}", ring.current().kid());
            ring = new Ring(ring.current(), ring.byKid(), now);
        } else {
            ring = Ring.of(keys, now);
        }
    }

    private record Ring(SigningKey current, Map<String, SigningKey> byKid, Instant loadedAt) {
        static Ring of(List<SigningKey> newestFirst, Instant loadedAt) {
            Map<String, SigningKey> byKid = new LinkedHashMap<>();
            newestFirst.forEach(k -> byKid.put(k.kid(), k));
            return new Ring(newestFirst.getFirst(), Map.copyOf(byKid), loadedAt);
        }
    }
}
