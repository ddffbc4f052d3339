package io.kchat.gateway.auth.sessions;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * The refresh_families and refresh_tokens tables. A family is one login of one device; each rotation
 * spends one token and adds the next, and a family is usable while neither revoked nor expired.
 */
final class RefreshTokenStore {

    /** The login a refresh token belongs to. */
    public record Family(String familyId, String userId, String deviceId) {
    }

    public void createFamily(Connection connection, Family family, Instant now, Instant expiresAt)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO refresh_families (family_id, user_id, device_id, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?)""")) {
            statement.setString(1, family.familyId());
            statement.setString(2, family.userId());
            statement.setString(3, family.deviceId());
            Timestamps.set(statement, 4, now);
            Timestamps.set(statement, 5, expiresAt);
            statement.executeUpdate();
        }
    }

    public void addToken(Connection connection, String familyId, byte[] tokenHash, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO refresh_tokens (token_hash, family_id, issued_at) VALUES (?, ?, ?)")) {
            statement.setBytes(1, tokenHash);
            statement.setString(2, familyId);
            Timestamps.set(statement, 3, now);
            statement.executeUpdate();
        }
    }

    /**
     * Spends an unspent token of a usable family, atomically: of two concurrent calls with one token,
     * the row lock lets exactly one through; the other finds it spent.
     */
    public Optional<Family> spend(Connection connection, byte[] tokenHash, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE refresh_tokens t SET spent_at = ?
                FROM refresh_families f
                WHERE t.token_hash = ? AND t.spent_at IS NULL AND f.family_id = t.family_id
                  AND f.revoked_at IS NULL AND f.expires_at > ?
                RETURNING f.family_id, f.user_id, f.device_id""")) {
            Timestamps.set(statement, 1, now);
            statement.setBytes(2, tokenHash);
            Timestamps.set(statement, 3, now);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(family(rows)) : Optional.empty();
            }
        }
    }

    /** The family of a token that was already spent: presenting it again is a replay. */
    public Optional<Family> familyOfSpent(Connection connection, byte[] tokenHash) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT f.family_id, f.user_id, f.device_id FROM refresh_tokens t
                JOIN refresh_families f ON f.family_id = t.family_id
                WHERE t.token_hash = ? AND t.spent_at IS NOT NULL""")) {
            statement.setBytes(1, tokenHash);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(family(rows)) : Optional.empty();
            }
        }
    }

    /** Whether the login behind an access token ({@code sid}) may still act. */
    public Optional<Family> usableFamily(Connection connection, String familyId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT family_id, user_id, device_id FROM refresh_families
                WHERE family_id = ? AND revoked_at IS NULL AND expires_at > ?""")) {
            statement.setString(1, familyId);
            Timestamps.set(statement, 2, now);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(family(rows)) : Optional.empty();
            }
        }
    }

    /** @return whether the family was usable until now (neither revoked nor expired) */
    public boolean revokeFamily(Connection connection, String familyId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE refresh_families SET revoked_at = ?
                WHERE family_id = ? AND revoked_at IS NULL AND expires_at > ?""")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, familyId);
            Timestamps.set(statement, 3, now);
            return statement.executeUpdate() > 0;
        }
    }

    public void revokeDevice(Connection connection, String userId, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE refresh_families SET revoked_at = ?
                WHERE user_id = ? AND device_id = ? AND revoked_at IS NULL""")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, userId);
            statement.setString(3, deviceId);
            statement.executeUpdate();
        }
    }

    /** Every login of the user except {@code keepFamilyId}. */
    public void revokeAllBut(Connection connection, String userId, String keepFamilyId, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE refresh_families SET revoked_at = ?
                WHERE user_id = ? AND family_id <> ? AND revoked_at IS NULL""")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, userId);
            statement.setString(3, keepFamilyId);
            statement.executeUpdate();
        }
    }

    private static Family family(ResultSet rows) throws SQLException {
        return new Family(rows.getString("family_id"), rows.getString("user_id"), rows.getString("device_id"));
    }
}
