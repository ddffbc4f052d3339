package io.kchat.gateway.ops;

import io.kchat.gateway.db.Database;
import io.kchat.settings.Durations;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every key-rotation ops command shares (the token signing keys, the VAPID keys): the arguments
 * {@code [--retire-older-than=DURATION] [--no-new-key]}, the database from {@code DATABASE_*}, and the exit status: 0
 * on success, 2 on a usage error, 1 on any other failure. The command itself says what adding and retiring mean.
 */
public final class KeyRotationCommand {

    /** One kind of key: adds one, or retires those older than an age; each logs what it did. */
    public interface Rotation {
        void addKey(Database database, Settings settings);

        void retireOlderThan(Database database, Settings settings, Duration age);
    }

    private static final Logger log = LoggerFactory.getLogger(KeyRotationCommand.class);
    private static final String RETIRE = "--retire-older-than=";
    private static final String NO_NEW_KEY = "--no-new-key";

    private KeyRotationCommand() {
    }

    /** Runs the command named {@code name} from a {@code main} and exits with its status. */
    public static void exit(String name, String[] args, Rotation rotation) {
        int status;
        try {
            status = run(name, args, Settings.environment(), rotation);
        } catch (RuntimeException e) {
            log.error("{} failed", name, e);
            status = 1;
        }
        System.exit(status);
    }

    /** @return the exit status */
    public static int run(String name, String[] args, Map<String, String> env, Rotation rotation) {
        Duration retireOlderThan = null;
        boolean addKey = true;
        for (String arg : args) {
            if (arg.startsWith(RETIRE)) {
                retireOlderThan = age(arg.substring(RETIRE.length()));
                if (retireOlderThan == null || retireOlderThan.isNegative()) {
                    log.error("{} takes a duration such as 30d or 12h", RETIRE);
                    return 2;
                }
            } else if (arg.equals(NO_NEW_KEY)) {
                addKey = false;
            } else {
                log.error("unknown argument {}; usage: {} [{}DURATION] [{}]", arg, name, RETIRE, NO_NEW_KEY);
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
            if (addKey) {
                rotation.addKey(database, settings);
            }
            if (retireOlderThan != null) {
                rotation.retireOlderThan(database, settings, retireOlderThan);
            }
        }
        return 0;
    }

    /** Written as the settings write durations ({@code 30d}), or ISO-8601 ({@code P30D}). Null: neither. */
    private static Duration age(String text) {
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
}
