package io.kchat.gateway.push;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.ops.KeyRotationCommand;
import io.kchat.settings.Durations;
import io.kchat.settings.Settings;
import java.time.Clock;
import java.time.Duration;
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

    private RotateVapidKey() {
    }

    public static void main(String[] args) {
        KeyRotationCommand.exit("RotateVapidKey", args, rotation(Clock.systemUTC()));
    }

    /** @return the exit status */
    static int run(String[] args, Map<String, String> env, Clock clock) {
        return KeyRotationCommand.run("RotateVapidKey", args, env, rotation(clock));
    }

    private static KeyRotationCommand.Rotation rotation(Clock clock) {
        return new KeyRotationCommand.Rotation() {
            @Override
            public void addKey(Database database, Settings settings) {
                VapidKey key = new VapidKeyRotation(database, clock).addKey();
                log.info("added VAPID key {}; gateways hand it out within {}", key.keyId(),
                        Durations.format(VapidKeys.RELOAD_INTERVAL));
            }

            @Override
            public void retireOlderThan(Database database, Settings settings, Duration age) {
                VapidKeyRotation.Retired retired = new VapidKeyRotation(database, clock).retireOlderThan(age);
                log.info("retired {} VAPID key(s) {} and deleted {} subscription(s) made with them",
                        retired.keyIds().size(), retired.keyIds(), retired.subscriptions());
            }
        };
    }
}
