package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.ops.KeyRotationCommand;
import io.kchat.settings.Settings;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ops command for the access-token signing keys, run beside the gateways against their database:
 *
 * <pre>
 * DATABASE_URL=jdbc:postgresql://db:5432/kchat DATABASE_USER=... DATABASE_PASSWORD=... \
 *   java -cp ingest-gateway.jar io.kchat.gateway.auth.tokens.RotateSigningKey [--retire-older-than=30d] [--no-new-key]
 * </pre>
 *
 * Adds a new key (unless {@code --no-new-key}); the gateways load it within a minute and sign with it from
 * {@link SigningKeys#ACTIVATION_DELAY} after now, while the older keys keep verifying. With
 * {@code --retire-older-than=DURATION} (e.g. 30d or 12h; ISO-8601 such as P30D too) it also retires the keys created before
 * that whose tokens can no longer be valid. Exits 0 on success, 2 on a usage error, 1 on any other failure.
 */
public final class RotateSigningKey {

    private static final Logger log = LoggerFactory.getLogger(RotateSigningKey.class);

    private RotateSigningKey() {
    }

    public static void main(String[] args) {
        KeyRotationCommand.exit("RotateSigningKey", args, rotation(Clock.systemUTC()));
    }

    /** @return the exit status */
    static int run(String[] args, Map<String, String> env, Clock clock) {
        return KeyRotationCommand.run("RotateSigningKey", args, env, rotation(clock));
    }

    private static KeyRotationCommand.Rotation rotation(Clock clock) {
        return new KeyRotationCommand.Rotation() {
            @Override
            public void addKey(Database database, Settings settings) {
                SigningKey key = rotation(database, settings).addKey();
                log.info("added signing key {}; gateways sign with it from {}", key.kid(),
                        key.createdAt().plus(SigningKeys.ACTIVATION_DELAY));
            }

            @Override
            public void retireOlderThan(Database database, Settings settings, Duration age) {
                List<String> retired = rotation(database, settings).retireOlderThan(age);
                log.info("retired {} signing key(s): {}", retired.size(), retired);
            }

            private SigningKeyRotation rotation(Database database, Settings settings) {
                return new SigningKeyRotation(database, clock, AuthConfig.from(settings).accessTtl());
            }
        };
    }
}
