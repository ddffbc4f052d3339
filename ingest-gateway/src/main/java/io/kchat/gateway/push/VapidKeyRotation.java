package io.kchat.gateway.push;

import io.kchat.gateway.db.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator does to the VAPID keys (see {@link RotateVapidKey}): add a key, which every gateway hands out
 * within {@link VapidKeys#RELOAD_INTERVAL}; and retire old keys with their subscriptions.
 */
final class VapidKeyRotation {

    /** What a retirement did: the keys retired and the subscriptions deleted with them. */
    record Retired(List<String> keyIds, int subscriptions) {
    }

    private final Database database;
    private final Clock clock;
    private final VapidKeyStore store = new VapidKeyStore();

    VapidKeyRotation(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    VapidKey addKey() {
        VapidKey key = VapidKey.generate(clock.instant().truncatedTo(ChronoUnit.MILLIS));
        database.inTransaction(connection -> {
            store.lockGeneration(connection);
            store.insert(connection, key);
            return null;
        });
        return key;
    }

    /**
     * Retires the keys created more than {@code olderThan} ago and deletes the subscriptions made with them. A key
     * is retired only once a newer key has been handed out by every gateway (one reload interval): before that a
     * gateway may still subscribe a browser with it. The newest key is therefore never retired.
     */
    Retired retireOlderThan(Duration olderThan) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return database.inTransaction(connection -> {
            store.lockGeneration(connection);
            Instant cutoff = now.minus(olderThan);
            boolean newerKeyEverywhere = false;
            List<String> retired = new ArrayList<>();
            for (VapidKey key : store.active(connection)) {
                if (newerKeyEverywhere && key.createdAt().isBefore(cutoff)
                        && store.retire(connection, key.keyId(), now)) {
                    retired.add(key.keyId());
                }
                newerKeyEverywhere |= !key.createdAt().plus(VapidKeys.RELOAD_INTERVAL).isAfter(now);
            }
            return new Retired(List.copyOf(retired), store.deleteSubscriptions(connection, retired));
        });
    }
}
