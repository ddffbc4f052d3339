package io.kchat.gateway.push;

import io.kchat.gateway.db.Database;
import io.kchat.settings.Durations;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ops command for the VAPID keys of web push, run beside the gateways against their database:
 *
 * <pre>
 * DATABASE_URL=jdbc:postgresql://db:5432/kchat DATABASE_USER=... DATABASE_PASSWORD=... \
 *   java -cp ingest-gateway.jar io.kchat.gateway.push.RotateVapidKey [--retire-older-than=30d] [--no-new-key]
 * </pre>
 *
 * Adds a new key (unless {@code --no-new-key}); the gateways hand it out within {@link VapidKeys#RELOAD_INTERVAL},
 * and subscriptions made before keep working with the key they were made with. With
 * {@code --retire-older-than=DURATION} (e.g. 30d or 12h; ISO-8601 such as P30D too) it also retires the keys created
 * before that (never the newest, nor one whose successor is younger than a reload interval) and deletes the
 * subscriptions made with them: their browsers subscribe again when the web client next sees the new key. Exits 0 on
 * success, 2 on a usage error, 1 on any other failure.
 */
public final class RotateVapidKey {

    private static final Logger log = LoggerFactory.getLogger(RotateVapidKey.class);
    private static final String RETIRE = "--retire-older-than=";
    private static final String NO_NEW_KEY = "--no-new-key";

    private RotateVapidKey() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args, Settings.environment(), Clock.systemUTC());
        } catch (RuntimeException e) {
            log.error("VAPID key rotation failed", e);
            status = 1;
        }
        System.exit(status);
    }

    /** Written as the settings write durations ({@code 30d}), or ISO-8601 ({@code P30D}). Null: neither. */
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
                if (retireOlderThan == null || retireOlderThan.isNegative()) {
                    log.error("{} takes a duration such as 30d or 12h", RETIRE);
                    return 2;
                }
            } else if (arg.equals(NO_NEW_KEY)) {
                addKey = false;
            } else {
                log.error("unknown argument {}; usage: RotateVapidKey [{}DURATION] [{}]", arg, RETIRE, NO_NEW_KEY);
                return 2;
            }
        }
        Settings settings = Settings.of(env);
        if (settings.find(SharedSettings.DATABASE_URL).isEmpty()) {
            log.error("DATABASE_URL is required (a JDBC URL), with DATABASE_USER and DATABASE_PASSWORD");
            return 2;
        }
        try (Database database = Database.start(settings.get(SharedSettings.DATABASE_URL),
                settings.get(SharedSettings.DATABASE_USER), settings.get(SharedSettings.DATABASE_PASSWORD), 2)) {
            VapidKeyRotation rotation = new VapidKeyRotation(database, clock);
            if (addKey) {
                VapidKey key = rotation.addKey();
                log.info("added VAPID key {}; gateways hand it out within {}", key.keyId(),
                        Durations.format(VapidKeys.RELOAD_INTERVAL));
            }
            if (retireOlderThan != null) {
                VapidKeyRotation.Retired retired = rotation.retireOlderThan(retireOlderThan);
                log.info("retired {} VAPID key(s) {} and deleted {} subscription(s) made with them",
                        retired.keyIds().size(), retired.keyIds(), retired.subscriptions());
            }
        }
        return 0;
    }
}
