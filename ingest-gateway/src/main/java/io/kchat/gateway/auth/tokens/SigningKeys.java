package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.CreatedOnce;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.Reloaded;
import io.kchat.gateway.db.SqlWork;
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

    private final Reloaded<Ring> ring;
    private final Clock clock;

    private SigningKeys(Reloaded<Ring> ring, Clock clock) {
        this.ring = ring;
        this.clock = clock;
    }

    /**
     * Loads the ring, generating the first key when there is none. Two gateways starting together agree
     * on one key ({@link CreatedOnce}).
     */
    public static SigningKeys load(Database database, Clock clock) {
        SigningKeyStore store = new SigningKeyStore();
        SqlWork<Optional<Ring>> read = connection -> Ring.of(store.active(connection));
        Ring loaded = database.inTransaction(connection -> CreatedOnce.readOrCreate(connection, read,
                store::lockGeneration, created -> {
                    SigningKey generated = SigningKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    store.insertIfAbsent(created, generated);
                    log.info("generated access-token signing key {}", generated.kid());
                }));
        return new SigningKeys(new Reloaded<>(database, read, clock, loaded, clock.instant(), "active signing key",
                r -> r.byKid().keySet()), clock);
    }

    @Override
    public SigningKey current() {
        return signer(ring.get(RELOAD_INTERVAL).newestFirst(), clock.instant());
    }

    /** Every key a token may be signed with, for the JWK set. */
    @Override
    public List<SigningKey> verificationKeys() {
        return ring.get(RELOAD_INTERVAL).newestFirst();
    }

    @Override
    public Optional<SigningKey> verificationKey(String kid) {
        SigningKey key = ring.get(RELOAD_INTERVAL).byKid().get(kid);
        if (key == null && SigningKey.isWellFormedKid(kid)) {
            key = ring.get(UNKNOWN_KID_RELOAD_INTERVAL).byKid().get(kid);
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

    private record Ring(List<SigningKey> newestFirst, Map<String, SigningKey> byKid) {
        /** Empty when there is no key: an operator retired them all, or none was made yet. */
        static Optional<Ring> of(List<SigningKey> newestFirst) {
            if (newestFirst.isEmpty()) {
                return Optional.empty();
            }
            Map<String, SigningKey> byKid = new LinkedHashMap<>();
            newestFirst.forEach(k -> byKid.put(k.kid(), k));
            return Optional.of(new Ring(List.copyOf(newestFirst), Map.copyOf(byKid)));
        }
    }
}
