package io.kchat.gateway.conversations;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The conversation_settings table, and the membership it hangs on. */
final class ConversationSettingsStore {

    /**
     * Whether the user is a member, holding their row until the transaction ends: a concurrent removal waits, so the
     * settings row (whose foreign key cascades from it) is never written for someone who just left.
     */
    boolean lockMembership(Connection connection, String conversationId, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM conversation_members WHERE conversation_id = ? AND user_id = ? FOR SHARE""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    boolean isMember(Connection connection, String conversationId, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM conversation_members WHERE conversation_id = ? AND user_id = ?""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** As stored (an expired mute still reads as muted here): {@link ConversationSettings#DEFAULT} without a row. */
    ConversationSettings find(Connection connection, String conversationId, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT muted, muted_until, pinned, archived FROM conversation_settings
                WHERE conversation_id = ? AND user_id = ?""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? new ConversationSettings(rows.getBoolean("muted"),
                        Timestamps.get(rows, "muted_until"), rows.getBoolean("pinned"), rows.getBoolean("archived"))
                        : ConversationSettings.DEFAULT;
            }
        }
    }

    void upsert(Connection connection, String conversationId, String userId, ConversationSettings settings,
                Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO conversation_settings (conversation_id, user_id, muted, muted_until, pinned, archived,
                                                   updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (conversation_id, user_id) DO UPDATE SET muted = EXCLUDED.muted,
                    muted_until = EXCLUDED.muted_until, pinned = EXCLUDED.pinned, archived = EXCLUDED.archived,
                    updated_at = EXCLUDED.updated_at""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            statement.setBoolean(3, settings.muted());
            Timestamps.set(statement, 4, settings.mutedUntil());
            statement.setBoolean(5, settings.pinned());
            statement.setBoolean(6, settings.archived());
            Timestamps.set(statement, 7, now);
            statement.executeUpdate();
        }
    }

    /** The settings columns as {@link ConversationSummaries} selects them ({@code s}: the member's settings row). */
    static final String SUMMARY_COLUMNS = """
            , s.muted AS settings_muted, s.muted_until AS settings_muted_until, s.pinned AS settings_pinned,
              s.archived AS settings_archived
            """;

    static Optional<ConversationSettings> summaryColumns(ResultSet rows) throws SQLException {
        // no row: the left join gives nulls, getBoolean reads them as false
        boolean present = rows.getObject("settings_muted") != null;
        return present ? Optional.of(new ConversationSettings(rows.getBoolean("settings_muted"),
                Timestamps.get(rows, "settings_muted_until"), rows.getBoolean("settings_pinned"),
                rows.getBoolean("settings_archived"))) : Optional.empty();
    }
}
