package io.kchat.gateway.relations;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The contacts table. A contact is symmetric and stored as two rows, one per side, so that "my contacts" is one
 * index range: they are written and deleted together, here only.
 */
public final class ContactStore {

    /** The other user of a contact as one side sees them: their public profile ({@code avatarMediaId} null for none). */
    public record Contact(String userId, String username, String displayName, String avatarMediaId, Instant since) {
    }

    /** @return false when the two were contacts already */
    public boolean insertPair(Connection connection, String userA, String userB, Instant since) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO contacts (user_id, contact_user_id, since) VALUES (?, ?, ?), (?, ?, ?)
                ON CONFLICT (user_id, contact_user_id) DO NOTHING""")) {
            statement.setString(1, userA);
            statement.setString(2, userB);
            Timestamps.set(statement, 3, since);
            statement.setString(4, userB);
            statement.setString(5, userA);
            Timestamps.set(statement, 6, since);
            return statement.executeUpdate() > 0;
        }
    }

    /** @return when the contact began, empty when the two were not contacts */
    public Optional<Instant> deletePair(Connection connection, String userA, String userB) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                DELETE FROM contacts WHERE (user_id = ? AND contact_user_id = ?) OR (user_id = ? AND contact_user_id = ?)
                RETURNING since""")) {
            statement.setString(1, userA);
            statement.setString(2, userB);
            statement.setString(3, userB);
            statement.setString(4, userA);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(Timestamps.get(rows, "since")) : Optional.empty();
            }
        }
    }

    public boolean areContacts(Connection connection, String userId, String otherUserId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM contacts WHERE user_id = ? AND contact_user_id = ?")) {
            statement.setString(1, userId);
            statement.setString(2, otherUserId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** {@code userId}'s contacts with their profiles, by name. */
    public List<Contact> of(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT u.user_id, u.username, u.display_name, u.avatar_media_id, c.since
                FROM contacts c JOIN users u ON u.user_id = c.contact_user_id
                WHERE c.user_id = ?
                ORDER BY lower(coalesce(u.username, u.display_name)), u.user_id""")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                List<Contact> contacts = new ArrayList<>();
                while (rows.next()) {
                    contacts.add(new Contact(rows.getString("user_id"), rows.getString("username"),
                            rows.getString("display_name"), rows.getString("avatar_media_id"),
                            Timestamps.get(rows, "since")));
                }
                return contacts;
            }
        }
    }
}
