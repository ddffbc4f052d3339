package io.kchat.gateway.media;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The media table (V9): uploads from their first byte to their deletion, and who may read them. */
final class MediaStore {

    /**
     * Who may read a complete upload, decided at each read (D14): its uploader, a current member of a conversation
     * with a message carrying it (deleted messages lose their attachment rows), and anyone signed in for an avatar.
     */
    private static final String READABLE = """
            SELECT media_id, owner_id, content_type, size, sha256, name, width, height FROM media m
            WHERE m.media_id = ? AND m.state = 'complete' AND (
                m.owner_id = ?
                OR EXISTS (SELECT 1 FROM message_attachments a
                           JOIN conversation_members cm ON cm.conversation_id = a.conversation_id AND cm.user_id = ?
                           WHERE a.media_id = m.media_id)
                OR EXISTS (SELECT 1 FROM users u WHERE u.avatar_media_id = m.media_id)
                OR EXISTS (SELECT 1 FROM conversations c WHERE c.avatar_media_id = m.media_id))
            """;

    /**
     * Uploads nobody uses: complete ones never attached nor an avatar since {@code unusedBefore} (counted from the
     * last send that named them), and uploads that never completed. Locked, skipping rows another gateway's janitor
     * or a send holds, so each is deleted once and a send that claims one in the same moment wins.
     */
    private static final String UNUSED = """
            SELECT media_id FROM media m
            WHERE ((m.state = 'complete' AND coalesce(m.claimed_at, m.completed_at) < ?)
                   OR (m.state = 'uploading' AND m.created_at < ?))
              AND NOT EXISTS (SELECT 1 FROM message_attachments a WHERE a.media_id = m.media_id)
              AND NOT EXISTS (SELECT 1 FROM users u WHERE u.avatar_media_id = m.media_id)
              AND NOT EXISTS (SELECT 1 FROM conversations c WHERE c.avatar_media_id = m.media_id)
            ORDER BY coalesce(m.claimed_at, m.completed_at, m.created_at)
            LIMIT ?
            FOR UPDATE SKIP LOCKED
            """;

    void insertUploading(Connection connection, String mediaId, String ownerId, String contentType, String name,
                         Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO media (media_id, owner_id, state, content_type, name, created_at)
                VALUES (?, ?, 'uploading', ?, ?, ?)""")) {
            insert.setString(1, mediaId);
            insert.setString(2, ownerId);
            insert.setString(3, contentType);
            insert.setString(4, name);
            insert.setTimestamp(5, Timestamp.from(now));
            insert.executeUpdate();
        }
    }

    /** False when the row is gone (the janitor took an upload that took too long): the upload then fails. */
    boolean complete(Connection connection, String mediaId, long size, String sha256, Integer width, Integer height,
                     Instant now) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE media SET state = 'complete', size = ?, sha256 = ?, width = ?, height = ?, completed_at = ?
                WHERE media_id = ? AND state = 'uploading'""")) {
            update.setLong(1, size);
            update.setString(2, sha256);
            setInteger(update, 3, width);
            setInteger(update, 4, height);
            update.setTimestamp(5, Timestamp.from(now));
            update.setString(6, mediaId);
            return update.executeUpdate() == 1;
        }
    }

    void delete(Connection connection, String mediaId) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM media WHERE media_id = ?")) {
            delete.setString(1, mediaId);
            delete.executeUpdate();
        }
    }

    Optional<MediaRow> readable(Connection connection, String mediaId, String userId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(READABLE)) {
            select.setString(1, mediaId);
            select.setString(2, userId);
            select.setString(3, userId);
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                return Optional.of(new MediaRow(row.getString(1), row.getString(2), row.getString(3), row.getLong(4),
                        row.getString(5), row.getString(6), integer(row, 7), integer(row, 8)));
            }
        }
    }

    /** Locks (in the caller's transaction) up to {@code limit} unused uploads; see {@link #UNUSED}. */
    List<String> lockUnused(Connection connection, Instant unusedBefore, Instant abandonedBefore, int limit)
            throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(UNUSED)) {
            select.setTimestamp(1, Timestamp.from(unusedBefore));
            select.setTimestamp(2, Timestamp.from(abandonedBefore));
            select.setInt(3, limit);
            List<String> ids = new ArrayList<>();
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    void deleteAll(Connection connection, List<String> mediaIds) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM media WHERE media_id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("text", mediaIds.toArray()));
            delete.executeUpdate();
        }
    }

    private static void setInteger(PreparedStatement statement, int index, Integer value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.INTEGER);
        } else {
            statement.setInt(index, value);
        }
    }

    private static Integer integer(ResultSet row, int column) throws SQLException {
        int value = row.getInt(column);
        return row.wasNull() ? null : value;
    }
}
