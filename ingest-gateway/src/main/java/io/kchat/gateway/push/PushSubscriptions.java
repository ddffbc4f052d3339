package io.kchat.gateway.push;

import io.kchat.gateway.db.DataAccessException;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.SqlStates;
import io.kchat.gateway.errors.Refusal;
import io.kchat.schemas.PushEndpoints;
import java.sql.SQLException;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push subscription of each device (D15): checked ({@link SubscriptionInput}), stored with the VAPID key the
 * browser subscribed with, replaced by the device's next one, deleted on request and with the device (logout: the
 * foreign key cascades).
 */
public final class PushSubscriptions {

    private static final Logger log = LoggerFactory.getLogger(PushSubscriptions.class);

    private final Database database;
    private final VapidKeys vapidKeys;
    private final SubscriptionInput input;
    private final Clock clock;
    private final PushSubscriptionStore store = new PushSubscriptionStore();

    public PushSubscriptions(Database database, VapidKeys vapidKeys, PushConfig config,
                             PushEndpoints.Resolver resolver, Clock clock) {
        this.database = database;
        this.vapidKeys = vapidKeys;
        this.input = new SubscriptionInput(config, resolver);
        this.clock = clock;
    }

    /** The key a browser subscribes with now. */
    public VapidKey vapidKey() {
        return vapidKeys.current();
    }

    /**
     * Checks the subscription and makes it the device's only one.
     *
     * @throws Refusal 400 naming the field at fault, 503 for a gateway subscription without PUSH_GATEWAY_URL, 401
     *                 when the device was logged out meanwhile
     */
    public void subscribe(String userId, String deviceId, SubscriptionRequest request) {
        PushSubscription subscription = input.check(request);
        // the key the client was handed is the current one (or one reload behind, which is as valid)
        String keyId = subscription instanceof PushSubscription.WebPush ? vapidKeys.current().keyId() : null;
        try {
            database.inTransaction(connection -> {
                store.replace(connection, userId, deviceId, subscription, keyId,
                        clock.instant().truncatedTo(ChronoUnit.MILLIS));
                return null;
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && SqlStates.isForeignKeyViolation(sql)) {
                // the device row is gone: logged out by another request since its token was checked
                throw Refusal.unauthenticated("device no longer signed in");
            }
            throw e;
        }
        log.debug("device {} of user {} subscribed for push ({})", deviceId, userId,
                subscription instanceof PushSubscription.WebPush ? PushSubscription.WebPush.KIND
                        : PushSubscription.Gateway.KIND);
    }

    /** Idempotent: a device without a subscription is answered the same. */
    public void unsubscribe(String userId, String deviceId) {
        database.inTransaction(connection -> store.delete(connection, userId, deviceId));
    }
}
