package io.kchat.gateway.otp;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.UUID;

/** Accounts found by phone number; created at the first verified code, with no username until one is set. */
final class PhoneAccounts {

    /** The account of {@code phone}, created now if there is none (two first logins at once agree on one). */
    String findOrCreate(Connection connection, String phone, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO users (user_id, username, display_name, phone, created_at) VALUES (?, NULL, ?, ?, ?)
                ON CONFLICT (phone) DO NOTHING""")) {
            statement.setString(1, UUID.randomUUID().toString());
            statement.setString(2, PhoneNumbers.masked(phone));
            statement.setString(3, phone);
            Timestamps.set(statement, 4, now);
            statement.executeUpdate();
        }
        try (PreparedStatement statement = connection.prepareStatement("SELECT user_id FROM users WHERE phone = ?")) {
            statement.setString(1, phone);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("account of a phone neither inserted nor found");
                }
                return rows.getString(1);
            }
        }
    }
}
