package io.kchat.gateway.presence;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/**
 * Presence from the V2 tables: {@code sessions} (one row per open WebSocket on any node, reaped when a node
 * stops beating) says who is online now; {@code presence} (projected from chat.presence) when they were
 * last seen.
 */
public final class PresenceStore {

    /** The session count and the projected last_seen of one user, in one query. */
    public record Row(int sessions, Instant lastSeen) {
    }

    public Row find(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT (SELECT count(*) FROM sessions s WHERE s.user_id = ?) AS sessions,
                       (SELECT p.last_seen FROM presence p WHERE p.user_id = ?) AS last_seen""")) {
            statement.setString(1, userId);
            statement.setString(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new Row(rows.getInt("sessions"), Timestamps.get(rows, "last_seen"));
            }
        }
    }

    /** Whether the two users are members of one conversation together. */
    /** Whether the two share a conversation and no block separates them (either way: API, blocking). */
    public boolean shareConversation(Connection connection, String userId, String otherUserId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM conversation_members a
                JOIN conversation_members b ON b.conversation_id = a.conversation_id
                WHERE a.user_id = ? AND b.user_id = ?
                  AND NOT EXISTS (SELECT 1 FROM blocks
                                   WHERE (blocker_id = a.user_id AND blocked_id = b.user_id)
                                      OR (blocker_id = b.user_id AND blocked_id = a.user_id))
                LIMIT 1""")) {
            statement.setString(1, userId);
            statement.setString(2, otherUserId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    public OnlineStats online(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(DISTINCT user_id), count(*) FROM sessions");
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return new OnlineStats(rows.getLong(1), rows.getLong(2));
        }
    }
}
