package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator does to the shared key ring (see {@link RotateSigningKey}): add a key, which every gateway
 * picks up within {@link SigningKeys#RELOAD_INTERVAL} and signs with once it is
 * {@link SigningKeys#ACTIVATION_DELAY} old; and retire old keys, which then verify nothing.
 */
final class SigningKeyRotation {

    private final Database database;
    private final Clock clock;
    private final Duration accessTtl;
    private final SigningKeyStore store = new SigningKeyStore();

    SigningKeyRotation(Database database, Clock clock, Duration accessTtl) {
        this.database = database;
        this.clock = clock;
        this.accessTtl = accessTtl;
    }

    public SigningKey addKey() {
        SigningKey key = SigningKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        database.inTransaction(connection -> {
            store.lockGeneration(connection);
            store.insertIfAbsent(connection, key);
            return null;
        });
        return key;
    }

    /**
     * Retires the keys created more than {@code olderThan} ago, except those whose tokens may still be valid: a
     * key is retired only once a newer key has been signing, on every gateway, for longer than an access token
     * lives. The signing key itself is therefore never retired.
     *
     * @return the retired kids
     */
    public List<String> retireOlderThan(Duration olderThan) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return database.inTransaction(connection -> {
            store.lockGeneration(connection);
            List<SigningKey> newestFirst = store.active(connection);
            List<String> retired = new ArrayList<>();
            // a key's tokens are all expired once a newer key matured, was seen by every gateway, and one
            // access-token lifetime (plus skew) passed
            Duration quiet = SigningKeys.ACTIVATION_DELAY.plus(SigningKeys.RELOAD_INTERVAL).plus(accessTtl)
                    .plus(AuthConfig.CLOCK_SKEW);
            Instant cutoff = now.minus(olderThan);
            boolean newerKeySignsLongEnough = false;
            for (SigningKey key : newestFirst) {
                if (newerKeySignsLongEnough && key.createdAt().isBefore(cutoff)
                        && store.retire(connection, key.kid(), now)) {
                    retired.add(key.kid());
                }
                newerKeySignsLongEnough |= !key.createdAt().plus(quiet).isAfter(now);
            }
            return retired;
        });
    }
}
