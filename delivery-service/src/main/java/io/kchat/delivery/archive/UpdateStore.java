package io.kchat.delivery.archive;

import static io.kchat.delivery.db.Timestamps.utc;

import io.kchat.events.Ciphertext;
import io.kchat.events.MessageUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Applies one accepted {@link MessageUpdate} (D13) to its archived message, on the caller's connection and
 * transaction. The conversation side has judged it already (author, role, limits): this only applies it, once. Applied
 * updateIds are remembered in {@code message_updates_applied}, so an update read again (a crash before the offsets were
 * committed, a new consumer group) changes nothing; as a message's updates come in the conversation's order, applying
 * each new one once in that order leaves the state the conversation side saw (a reaction added, removed and added
 * again stays added).
 *
 * <p>A deleted message loses its content here: body emptied, envelopes, attachments, reactions and applied updateIds
 * removed (an edit keeps the attachments: it replaces the body only). The
 * conversation side accepts nothing of a deleted message after its delete, so any update found for one is a replay of
 * an earlier one and is left out.
 */
final class UpdateStore {

    /** What became of an update. */
    enum Outcome {
        APPLIED,
        /** Applied before: read again. */
        REPLAYED,
        /** Its message is deleted: nothing changes it any more. */
        MESSAGE_DELETED,
        /** Its message is not archived yet (chat.messages is read apart from chat.message-updates): try again later. */
        NOT_YET_ARCHIVED,
        /** Its message never will be: the database refused it, or its conversation has no row. */
        NEVER_ARCHIVED,
        /** The database refuses the update's own data (set by the caller, which undid it under a savepoint). */
        REFUSED
    }

    private static final String LOCK_MESSAGE = """
            SELECT deleted, encrypted FROM messages WHERE conversation_id = ? AND seq = ? FOR UPDATE""";
    private static final String WATERMARK = "SELECT last_seq FROM conversations WHERE conversation_id = ?";
    private static final String REMEMBER = """
            INSERT INTO message_updates_applied (conversation_id, seq, update_id) VALUES (?, ?, ?)
            ON CONFLICT (conversation_id, seq, update_id) DO NOTHING""";
    /** A body that is not there (an edit without one) leaves the old one: never an empty message by accident. */
    private static final String EDIT_BODY = """
            UPDATE messages SET body = coalesce(?, body), edited_at = ? WHERE conversation_id = ? AND seq = ?""";
    private static final String EDIT_ENCRYPTED = """
            UPDATE messages SET edited_at = ?, algorithm = coalesce(?, algorithm), edit_device_id = ?
             WHERE conversation_id = ? AND seq = ?""";
    private static final String DELETE = """
            UPDATE messages SET deleted = true, body = '', edited_at = NULL, edit_device_id = NULL
             WHERE conversation_id = ? AND seq = ?""";
    private static final String DROP_ENVELOPES = "DELETE FROM message_envelopes WHERE conversation_id = ? AND seq = ?";
    private static final String DROP_REACTIONS = "DELETE FROM message_reactions WHERE conversation_id = ? AND seq = ?";
    private static final String DROP_ATTACHMENTS =
            "DELETE FROM message_attachments WHERE conversation_id = ? AND seq = ?";
    private static final String DROP_APPLIED =
            "DELETE FROM message_updates_applied WHERE conversation_id = ? AND seq = ?";
    private static final String ADD_REACTION = """
            INSERT INTO message_reactions (conversation_id, seq, user_id, key) VALUES (?, ?, ?, ?)
            ON CONFLICT (conversation_id, seq, user_id, key) DO NOTHING""";
    private static final String REMOVE_REACTION = """
            DELETE FROM message_reactions WHERE conversation_id = ? AND seq = ? AND user_id = ? AND key = ?""";

    /** The archived message's row, locked until the transaction ends; null when it is not archived. */
    private record Target(boolean deleted, boolean encrypted) {
    }

    Outcome apply(Connection connection, MessageUpdate update) throws SQLException {
        Target target = lock(connection, update);
        if (target == null) {
            return archivedLater(connection, update) ? Outcome.NOT_YET_ARCHIVED : Outcome.NEVER_ARCHIVED;
        }
        if (target.deleted()) {
            return Outcome.MESSAGE_DELETED;
        }
        if (!remember(connection, update)) {
            return Outcome.REPLAYED;
        }
        switch (update.getKind()) {
            case EDIT -> {
                if (target.encrypted()) {
                    editEncrypted(connection, update);
                } else {
                    execute(connection, EDIT_BODY, update.getBody(), utc(update.getTs()), update.getConversationId(),
                            update.getSeq());
                }
            }
            case DELETE -> delete(connection, update);
            case REACTION -> execute(connection, update.getRemove() ? REMOVE_REACTION : ADD_REACTION,
                    update.getConversationId(), update.getSeq(), update.getUserId(), update.getKey());
        }
        return Outcome.APPLIED;
    }

    private static Target lock(Connection connection, MessageUpdate update) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(LOCK_MESSAGE)) {
            select.setString(1, update.getConversationId());
            select.setLong(2, update.getSeq());
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? new Target(row.getBoolean("deleted"), row.getBoolean("encrypted")) : null;
            }
        }
    }

    /**
     * Whether the message will still be archived: its seq is above the conversation's watermark, below which every
     * message is archived or was refused. A conversation without a row has no watermark; REST writes that row before
     * the conversation's first command (D1), so none of its messages is coming.
     */
    private static boolean archivedLater(Connection connection, MessageUpdate update) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(WATERMARK)) {
            select.setString(1, update.getConversationId());
            try (ResultSet row = select.executeQuery()) {
                return row.next() && row.getLong("last_seq") < update.getSeq();
            }
        }
    }

    /** @return whether the update is new: false when it was applied before */
    private static boolean remember(Connection connection, MessageUpdate update) throws SQLException {
        return execute(connection, REMEMBER, update.getConversationId(), update.getSeq(), update.getUpdateId()) == 1;
    }

    /** The new envelopes replace the old ones; the body stays empty whatever the update carries (D16). */
    private static void editEncrypted(Connection connection, MessageUpdate update) throws SQLException {
        Ciphertext ciphertext = update.getCiphertext();
        execute(connection, DROP_ENVELOPES, update.getConversationId(), update.getSeq());
        if (ciphertext != null) {
            try (PreparedStatement insert = connection.prepareStatement(Envelopes.INSERT)) {
                Envelopes.add(insert, update.getConversationId(), update.getSeq(), ciphertext);
                insert.executeBatch();
            }
        }
        execute(connection, EDIT_ENCRYPTED, utc(update.getTs()), ciphertext == null ? null : ciphertext.getAlgorithm(),
                ciphertext == null ? null : ciphertext.getSenderDeviceId(), update.getConversationId(),
                update.getSeq());
    }

    /** The content goes from every table; the row stays, with its seq, sender and time. */
    private static void delete(Connection connection, MessageUpdate update) throws SQLException {
        for (String statement : new String[] {DELETE, DROP_ENVELOPES, DROP_ATTACHMENTS, DROP_REACTIONS,
            DROP_APPLIED}) {
            execute(connection, statement, update.getConversationId(), update.getSeq());
        }
    }

    private static int execute(Connection connection, String sql, Object... parameters) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        }
    }
}
