package io.kchat.gateway.auth.passwords;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The credentials table: one Argon2id PHC string per user with a password. */
public final class CredentialStore {

    /** A user's id and password hash, found by username. */
    public record Credential(String userId, String passwordHash) {
    }

    public Optional<Credential> findByUsername(Connection connection, String username) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT u.user_id, c.password_hash FROM users u JOIN credentials c ON c.user_id = u.user_id
                WHERE lower(u.username) = lower(?)""")) {
            statement.setString(1, username);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new Credential(rows.getString(1), rows.getString(2))) : Optional.empty();
            }
        }
    }

    public Optional<String> hashOf(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT password_hash FROM credentials WHERE user_id = ?")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        }
    }

    public void upsert(Connection connection, String userId, String passwordHash, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO credentials (user_id, password_hash, updated_at) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET password_hash = excluded.password_hash,
                                                    updated_at = excluded.updated_at""")) {
            statement.setString(1, userId);
            statement.setString(2, passwordHash);
            Timestamps.set(statement, 3, now);
            statement.executeUpdate();
        }
    }

    /** Replaces the hash only if it is still {@code expected}: a rehash never undoes a password change. */
    public void replace(Connection connection, String userId, String expected, String passwordHash, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE credentials SET password_hash = ?, updated_at = ? WHERE user_id = ? AND password_hash = ?")) {
            statement.setString(1, passwordHash);
            Timestamps.set(statement, 2, now);
            statement.setString(3, userId);
            statement.setString(4, expected);
            statement.executeUpdate();
        }
    }
}
