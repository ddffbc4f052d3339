package io.kchat.gateway.push;

import io.kchat.gateway.db.CreatedOnce;
import io.kchat.gateway.db.Timestamps;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The vapid_keys table, and the subscriptions that go with a retired key. */
final class VapidKeyStore {

    /** Any constant other than the signing keys': serialises VAPID key generation between gateways. */
    private static final long GENERATION_LOCK = 0x6b63686174566170L;

    /** The key browsers subscribe with now: the newest unretired one. */
    Optional<VapidKey> newest(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT key_id, private_key, public_key, created_at FROM vapid_keys
                WHERE retired_at IS NULL ORDER BY created_at DESC, key_id DESC LIMIT 1""");
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? Optional.of(key(rows)) : Optional.empty();
        }
    }

    /** Unretired keys, newest first. */
    List<VapidKey> active(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT key_id, private_key, public_key, created_at FROM vapid_keys
                WHERE retired_at IS NULL ORDER BY created_at DESC, key_id DESC""");
             ResultSet rows = statement.executeQuery()) {
            List<VapidKey> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(key(rows));
            }
            return keys;
        }
    }

    /** Held until the end of the caller's transaction. */
    void lockGeneration(Connection connection) throws SQLException {
        CreatedOnce.lockForTransaction(connection, GENERATION_LOCK);
    }

    void insert(Connection connection, VapidKey key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO vapid_keys (key_id, private_key, public_key, created_at)
                VALUES (?, ?, ?, ?) ON CONFLICT (key_id) DO NOTHING""")) {
            statement.setString(1, key.keyId());
            statement.setBytes(2, key.privateKey().getEncoded());
            statement.setBytes(3, key.publicKey());
            Timestamps.set(statement, 4, key.createdAt());
            statement.executeUpdate();
        }
    }

    /** @return whether the key was active until now */
    boolean retire(Connection connection, String keyId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE vapid_keys SET retired_at = ? WHERE key_id = ? AND retired_at IS NULL")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, keyId);
            return statement.executeUpdate() > 0;
        }
    }

    /**
     * A push service takes only pushes signed with the key its subscription was made with, so once that key is
     * retired the subscription is dead weight: its browser subscribes again when the client sees the new key.
     *
     * @return how many were deleted
     */
    int deleteSubscriptions(Connection connection, List<String> keyIds) throws SQLException {
        if (keyIds.isEmpty()) {
            return 0;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM push_subscriptions WHERE vapid_key_id = ANY (?)")) {
            Array ids = connection.createArrayOf("text", keyIds.toArray());
            statement.setArray(1, ids);
            return statement.executeUpdate();
        }
    }

    private static VapidKey key(ResultSet rows) throws SQLException {
        return VapidKey.decode(rows.getString("key_id"), rows.getBytes("private_key"), rows.getBytes("public_key"),
                Timestamps.get(rows, "created_at"));
    }
}
