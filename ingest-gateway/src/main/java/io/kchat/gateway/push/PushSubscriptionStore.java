package io.kchat.gateway.push;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;

/** The push_subscriptions table: one row per device, replaced whole. */
final class PushSubscriptionStore {

    /** Every column is written, so a webpush row replaced by a gateway one keeps nothing of the first. */
    void replace(Connection connection, String userId, String deviceId, PushSubscription subscription,
                 String vapidKeyId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO push_subscriptions (user_id, device_id, kind, endpoint, p256dh, auth, vapid_key_id,
                                                push_key, app_id, previews, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, device_id) DO UPDATE SET kind = EXCLUDED.kind, endpoint = EXCLUDED.endpoint,
                    p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth, vapid_key_id = EXCLUDED.vapid_key_id,
                    push_key = EXCLUDED.push_key, app_id = EXCLUDED.app_id, previews = EXCLUDED.previews,
                    created_at = EXCLUDED.created_at""")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            switch (subscription) {
                case PushSubscription.WebPush w -> {
                    statement.setString(3, PushSubscription.WebPush.KIND);
                    statement.setString(4, w.endpoint().toString());
                    statement.setBytes(5, w.p256dh());
                    statement.setBytes(6, w.auth());
                    statement.setString(7, vapidKeyId);
                    statement.setNull(8, Types.VARCHAR);
                    statement.setNull(9, Types.VARCHAR);
                }
                case PushSubscription.Gateway g -> {
                    statement.setString(3, PushSubscription.Gateway.KIND);
                    statement.setNull(4, Types.VARCHAR);
                    statement.setNull(5, Types.BINARY);
                    statement.setNull(6, Types.BINARY);
                    statement.setNull(7, Types.VARCHAR);
                    statement.setString(8, g.pushKey());
                    statement.setString(9, g.appId());
                }
            }
            statement.setBoolean(10, subscription.previews());
            Timestamps.set(statement, 11, now);
            statement.executeUpdate();
        }
    }

    /** @return whether there was one */
    boolean delete(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM push_subscriptions WHERE user_id = ? AND device_id = ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            return statement.executeUpdate() > 0;
        }
    }
}
