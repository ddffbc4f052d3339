package io.kchat.gateway.db;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A value read from PostgreSQL and read again, without a restart, when the last attempt is older than the caller
 * asks; at most one thread reads at a time. An empty answer (every key retired by an operator while we run) or a
 * failed read keeps the value held, since refusing every request would be worse than serving the last known one.
 *
 * @param <T> the value
 */
public final class Reloaded<T> {

    private static final Logger log = LoggerFactory.getLogger(Reloaded.class);

    private final Database database;
    private final SqlWork<Optional<T>> read;
    private final Clock clock;
    private final String what;
    private final Function<T, Object> describe;
    private volatile T value;
    /** When the database was last asked, successfully or not. */
    private volatile Instant lastAttempt;

    /**
     * @param initial what was read at {@code readAt}
     * @param what     what the value is, for the logs (e.g. "signing keys")
     * @param describe what of a value the logs may show (key ids, never key material)
     */
    public Reloaded(Database database, SqlWork<Optional<T>> read, Clock clock, T initial, Instant readAt,
                    String what, Function<T, Object> describe) {
        this.database = database;
        this.read = read;
        this.clock = clock;
        this.what = what;
        this.describe = describe;
        this.value = initial;
        this.lastAttempt = readAt;
    }

    /** The value, read again first when the last attempt is older than {@code maxAge}. */
    public T get(Duration maxAge) {
        if (!lastAttempt.plus(maxAge).isAfter(clock.instant())) {
            reload(maxAge);
        }
        return value;
    }

    private synchronized void reload(Duration maxAge) {
        Instant now = clock.instant();
        if (lastAttempt.plus(maxAge).isAfter(now)) {
            return; // another thread just did
        }
        lastAttempt = now;
        try {
            Optional<T> newest = database.withConnection(read);
            if (newest.isPresent()) {
                value = newest.get();
            } else {
                log.warn("no {} in the database; keeping {}", what, describe.apply(value));
            }
        } catch (DataAccessException e) {
            log.warn("cannot reload the {}; keeping {}", what, describe.apply(value), e);
        }
    }
}
