package io.kchat.gateway.auth.tokens;

import io.kchat.gateway.db.CreatedOnce;
import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The signing_keys table. */
final class SigningKeyStore {

    /** Any constant: serialises key generation between gateways starting together. */
    private static final long GENERATION_LOCK = 0x6b636861744b6579L;

    /** Non-retired keys, newest first: the first one signs, all of them verify. */
    public List<SigningKey> active(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT kid, private_key, public_key, created_at FROM signing_keys
                WHERE retired_at IS NULL AND algorithm = ?
                ORDER BY created_at DESC, kid DESC""")) {
            statement.setString(1, SigningKey.ALGORITHM);
            try (ResultSet rows = statement.executeQuery()) {
                List<SigningKey> keys = new ArrayList<>();
                while (rows.next()) {
                    keys.add(SigningKey.decode(rows.getString("kid"), rows.getBytes("private_key"),
                            rows.getBytes("public_key"), Timestamps.get(rows, "created_at")));
                }
                return keys;
            }
        }
    }

    /** Held until the end of the caller's transaction. */
    public void lockGeneration(Connection connection) throws SQLException {
        CreatedOnce.lockForTransaction(connection, GENERATION_LOCK);
    }

    public void insertIfAbsent(Connection connection, SigningKey key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO signing_keys (kid, algorithm, private_key, public_key, created_at)
                VALUES (?, ?, ?, ?, ?) ON CONFLICT (kid) DO NOTHING""")) {
            statement.setString(1, key.kid());
            statement.setString(2, SigningKey.ALGORITHM);
            statement.setBytes(3, key.privateKey().getEncoded());
            statement.setBytes(4, key.publicKey().getEncoded());
            Timestamps.set(statement, 5, key.createdAt());
            statement.executeUpdate();
        }
    }

    /** @return whether the key was active until now */
    public boolean retire(Connection connection, String kid, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE signing_keys SET retired_at = ? WHERE kid = ? AND retired_at IS NULL")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, kid);
            return statement.executeUpdate() > 0;
        }
    }
}
