package io.kchat.gateway.keys;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may know a user's keys: the user, their contacts and the people they share a conversation with, unless a block
 * separates them (either way). The same people are told when those keys change.
 */
final class KeyAudience {

    /** Whether {@code viewer} may fetch or claim {@code owner}'s keys. */
    boolean mayKnow(Connection connection, String viewer, String owner) throws SQLException {
        if (viewer.equals(owner)) {
            return true;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 WHERE (EXISTS (SELECT 1 FROM contacts WHERE user_id = ? AND contact_user_id = ?)
                             OR EXISTS (SELECT 1 FROM conversation_members a
                                          JOIN conversation_members b ON b.conversation_id = a.conversation_id
                                         WHERE a.user_id = ? AND b.user_id = ?))
                  AND NOT EXISTS (SELECT 1 FROM blocks
                                   WHERE (blocker_id = ? AND blocked_id = ?) OR (blocker_id = ? AND blocked_id = ?))""")) {
            statement.setString(1, viewer);
            statement.setString(2, owner);
            statement.setString(3, viewer);
            statement.setString(4, owner);
            statement.setString(5, viewer);
            statement.setString(6, owner);
            statement.setString(7, owner);
            statement.setString(8, viewer);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** The user and everyone who may know their keys, the user first. */
    List<String> of(Connection connection, String owner) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT DISTINCT other FROM (
                    SELECT contact_user_id AS other FROM contacts WHERE user_id = ?
                    UNION
                    SELECT b.user_id FROM conversation_members a
                      JOIN conversation_members b ON b.conversation_id = a.conversation_id
                     WHERE a.user_id = ? AND b.user_id <> a.user_id) audience
                 WHERE NOT EXISTS (SELECT 1 FROM blocks
                                    WHERE (blocker_id = ? AND blocked_id = other) OR (blocker_id = other AND blocked_id = ?))
                 ORDER BY other""")) {
            statement.setString(1, owner);
            statement.setString(2, owner);
            statement.setString(3, owner);
            statement.setString(4, owner);
            List<String> audience = new ArrayList<>();
            audience.add(owner);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    audience.add(rows.getString(1));
                }
            }
            return audience;
        }
    }
}
