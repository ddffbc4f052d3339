package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.Database;
import io.kchat.settings.Durations;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
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
    private static final String RETIRE = "--retire-older-than=";
    private static final String NO_NEW_KEY = "--no-new-key";

    private RotateSigningKey() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, Settings.environment(), Clock.systemUTC());
        } catch (RuntimeException e) {
            log.error("signing key rotation failed", e);
            status = 1;
        }
        System.exit(status);
    }

    /** Written as the settings write durations ({@code 30d}); ISO-8601 ({@code P30D}) as before. Null: neither. */
    private static Duration retirementAge(String text) {
        try {
            return Durations.parse(text);
        } catch (IllegalArgumentException notOurs) {
            try {
                return Duration.parse(text);
            } catch (DateTimeParseException notIso) {
                return null;
            }
        }
    }

    /** @return the exit status */
    static int run(String[] args, Map<String, String> env, Clock clock) {
        Duration retireOlderThan = null;
        boolean addKey = true;
        for (String arg : args) {
            if (arg.startsWith(RETIRE)) {
                retireOlderThan = retirementAge(arg.substring(RETIRE.length()));
                if (retireOlderThan == null) {
                    log.error("{} takes a duration such as 30d or 12h", RETIRE);
                    return 2;
                }
            } else if (arg.equals(NO_NEW_KEY)) {
                addKey = false;
            } else {
                log.error("unknown argument {}; usage: RotateSigningKey [{}DURATION] [{}]", arg, RETIRE, NO_NEW_KEY);
                return 2;
            }
        }
        Settings settings = Settings.of(env);
        if (settings.find(SharedSettings.DATABASE_URL).isEmpty()) {
            log.error("DATABASE_URL is required (a JDBC URL), with DATABASE_USER and DATABASE_PASSWORD");
            return 2;
        }
        try (Database database = Database.start(settings.get(SharedSettings.DATABASE_URL), settings.get(SharedSettings.DATABASE_USER),
                settings.get(SharedSettings.DATABASE_PASSWORD), 2)) {
            SigningKeyRotation rotation = new SigningKeyRotation(database, clock, AuthConfig.from(settings).accessTtl());
            if (addKey) {
                SigningKey key = rotation.addKey();
                log.info("added signing key {}; gateways sign with it from {}", key.kid(),
                        key.createdAt().plus(SigningKeys.ACTIVATION_DELAY));
            }
            if (retireOlderThan != null) {
                List<String> retired = rotation.retireOlderThan(retireOlderThan);
                log.info("retired {} signing key(s): {}", retired.size(), retired);
            }
        }
        return 0;
    }
}
