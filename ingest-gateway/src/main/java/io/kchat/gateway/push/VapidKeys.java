package io.kchat.gateway.push;

import io.kchat.gateway.db.CreatedOnce;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.Reloaded;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
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

    private final Reloaded<VapidKey> current;

    private VapidKeys(Reloaded<VapidKey> current) {
        this.current = current;
    }

    /**
     * Loads the newest key, generating the first when there is none. Gateways starting together agree on one key
     * ({@link CreatedOnce}).
     */
    public static VapidKeys load(Database database, Clock clock) {
        VapidKeyStore store = new VapidKeyStore();
        VapidKey key = database.inTransaction(connection -> CreatedOnce.readOrCreate(connection, store::newest,
                store::lockGeneration, created -> {
                    VapidKey generated = VapidKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
                    store.insert(created, generated);
                    log.info("generated VAPID key {}", generated.keyId());
                }));
        return new VapidKeys(new Reloaded<>(database, store::newest, clock, key, clock.instant(),
                "unretired VAPID key", VapidKey::keyId));
    }

    /** The key a subscription made now is made with. */
    public VapidKey current() {
        return current.get(RELOAD_INTERVAL);
    }
}
