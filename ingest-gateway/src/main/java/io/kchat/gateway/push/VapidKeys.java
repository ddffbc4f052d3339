package io.kchat.gateway.push;

import io.kchat.gateway.db.DataAccessException;
import io.kchat.gateway.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VAPID key browsers subscribe with, shared through PostgreSQL by every gateway: the newest unretired key in
 * vapid_keys, generated on the very first start. Reloaded when older than {@link #RELOAD_INTERVAL} at its next use,
 * so a key added by {@link RotateVapidKey} is handed out by every gateway within that interval, without a restart.
 * The push sender reads the table itself (each subscription names its key), so nothing here signs.
 */
public final class VapidKeys {

    private static final Logger log = LoggerFactory.getLogger(VapidKeys.class);
    public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(60);

    private final Database database;
    private final VapidKeyStore store;
    private final Clock clock;
    private volatile VapidKey current;
    /** When the database was last asked, successfully or not. */
    private volatile Instant lastAttempt;

    private VapidKeys(Database database, VapidKeyStore store, Clock clock, VapidKey current) {
        this.database = database;
        this.store = store;
        this.clock = clock;
        this.current = current;
        this.lastAttempt = clock.instant();
    }

    /**
     * Loads the newest key, generating the first when there is none. Gateways starting together agree on one key:
     * generation runs under a transaction-scoped advisory lock and reads back the newest.
     */
    public static VapidKeys load(Database database, Clock clock) {
        VapidKeyStore store = new VapidKeyStore();
        VapidKey key = database.inTransaction(connection -> {
            Optional<VapidKey> existing = store.newest(connection);
            if (existing.isPresent()) {
                return existing.get();
            }
            store.lockGeneration(connection);
            existing = store.newest(connection);
            if (existing.isPresent()) {
                return existing.get();
            }
            VapidKey generated = VapidKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
            store.insert(connection, generated);
            log.info("generated VAPID key {}", generated.keyId());
            return store.newest(connection).orElseThrow();
        });
        return new VapidKeys(database, store, clock, key);
    }

    /** The key a subscription made now is made with. */
    public VapidKey current() {
        reloadIfDue();
        return current;
    }

    private void reloadIfDue() {
        if (lastAttempt.plus(RELOAD_INTERVAL).isAfter(clock.instant())) {
            return;
        }
        synchronized (this) {
            Instant now = clock.instant();
            if (lastAttempt.plus(RELOAD_INTERVAL).isAfter(now)) {
                return; // another thread just did
            }
            lastAttempt = now;
            try {
                Optional<VapidKey> newest = database.withConnection(store::newest);
                if (newest.isPresent()) {
                    current = newest.get();
                } else {
                    // every key retired by an operator while we run: keep ours rather than refuse every subscription
                    log.warn("no unretired VAPID key in the database; keeping {}", current.keyId());
                }
            } catch (DataAccessException e) {
                log.warn("cannot reload the VAPID keys; keeping {}", current.keyId(), e);
            }
        }
    }
}
