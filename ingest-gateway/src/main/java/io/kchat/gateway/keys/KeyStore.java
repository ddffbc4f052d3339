package io.kchat.gateway.keys;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The key directory's tables (V5): one row of published keys per device, and its one-time pre-keys. */
final class KeyStore {

    /** A device's published keys, raw; {@code signedAt} when its signed pre-key was last replaced (or first given). */
    record DeviceRow(String deviceId, byte[] identityKey, String signedPreKeyId, byte[] signedPreKey,
                     byte[] signature, Instant signedAt) {
    }

    record OneTimeRow(String keyId, byte[] publicKey) {
    }

    void upsertDevice(Connection connection, String userId, String deviceId, ValidUpload upload, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO device_keys (user_id, device_id, identity_key, signed_prekey_id, signed_prekey,
                                         signed_prekey_signature, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_id, device_id) DO UPDATE
                   SET signed_prekey_id = excluded.signed_prekey_id, signed_prekey = excluded.signed_prekey,
                       signed_prekey_signature = excluded.signed_prekey_signature, updated_at = excluded.updated_at
                 WHERE device_keys.signed_prekey_id IS DISTINCT FROM excluded.signed_prekey_id
                    OR device_keys.signed_prekey IS DISTINCT FROM excluded.signed_prekey""")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setBytes(3, upload.identityKey());
            statement.setString(4, upload.signedPreKeyId());
            statement.setBytes(5, upload.signedPreKey());
            statement.setBytes(6, upload.signature());
            Timestamps.set(statement, 7, now);
            statement.executeUpdate();
        }
    }

    /** Adds the keys whose ids the device does not have yet (a retried upload adds nothing twice). */
    void addOneTimeKeys(Connection connection, String userId, String deviceId, List<ValidUpload.OneTimeKey> keys,
                        Instant now) throws SQLException {
        if (keys.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO one_time_prekeys (user_id, device_id, key_id, public_key, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING""")) {
            for (ValidUpload.OneTimeKey key : keys) {
                statement.setString(1, userId);
                statement.setString(2, deviceId);
                statement.setString(3, key.keyId());
                statement.setBytes(4, key.publicKey());
                Timestamps.set(statement, 5, now);
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    int countOneTimeKeys(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM one_time_prekeys WHERE user_id = ? AND device_id = ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The published keys of every device of the user that has some, by device id. */
    List<DeviceRow> devicesOf(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT device_id, identity_key, signed_prekey_id, signed_prekey, signed_prekey_signature, updated_at
                  FROM device_keys WHERE user_id = ? ORDER BY device_id""")) {
            statement.setString(1, userId);
            List<DeviceRow> devices = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    devices.add(device(rows));
                }
            }
            return devices;
        }
    }

    /** The device's published keys, or empty when it has published none. */
    Optional<DeviceRow> deviceOf(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT device_id, identity_key, signed_prekey_id, signed_prekey, signed_prekey_signature, updated_at
                  FROM device_keys WHERE user_id = ? AND device_id = ?""")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(device(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Takes one one-time pre-key of the device out of the directory, the oldest: concurrent claims skip a row another
     * claim has locked, so two never get the same key (one may get none when one is left).
     */
    Optional<OneTimeRow> claimOneTimeKey(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                DELETE FROM one_time_prekeys
                 WHERE (user_id, device_id, key_id) = (
                       SELECT user_id, device_id, key_id FROM one_time_prekeys
                        WHERE user_id = ? AND device_id = ?
                        ORDER BY created_at, key_id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING key_id, public_key""")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new OneTimeRow(rows.getString(1), rows.getBytes(2))) : Optional.empty();
            }
        }
    }

    /** Whether the device has published keys: asked in the logout's transaction, before the device row goes. */
    boolean hasKeys(Connection connection, String userId, String deviceId) throws SQLException {
        return deviceOf(connection, userId, deviceId).isPresent();
    }

    private static DeviceRow device(ResultSet rows) throws SQLException {
        return new DeviceRow(rows.getString(1), rows.getBytes(2), rows.getString(3), rows.getBytes(4), rows.getBytes(5),
                Timestamps.get(rows, "updated_at"));
    }
}
