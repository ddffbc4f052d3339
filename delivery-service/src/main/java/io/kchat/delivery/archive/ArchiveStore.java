package io.kchat.delivery.archive;

import static io.kchat.delivery.db.Timestamps.utc;

import io.kchat.events.Attachment;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.List;
import java.util.Map;

/**
 * Writes an {@link ArchiveBatch} on the caller's connection and transaction, one JDBC batch per table.
 * Idempotent: messages and envelopes already archived are left as they are (so is whatever {@link UpdateStore} made of
 * them since), cursors and watermarks only move up, and rows already at or above a value are not even rewritten.
 *
 * <p>An end-to-end encrypted message is archived with an empty body whatever the event carries (the server never
 * holds plaintext of an encrypted conversation), and its envelopes as opaque bytes, one row per recipient device.
 *
 * <p>Attachments (their media ids and what the gateway read of them, never bytes: D14) go to {@code
 * message_attachments}, {@code position} being the index in the send, in the same transaction as their message. A
 * replay of a message deleted since adds none back: the delete removed them for good.
 */
public final class ArchiveStore {

    private static final String INSERT_MESSAGE = """
            INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts,
                                  encrypted, algorithm, reply_to, failed)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (conversation_id, seq) DO NOTHING""";

    private static final String INSERT_ATTACHMENT = """
            INSERT INTO message_attachments (conversation_id, seq, position, media_id, content_type, size, name, width,
                                             height, duration_ms)
            SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?
             WHERE NOT EXISTS (SELECT 1 FROM messages WHERE conversation_id = ? AND seq = ? AND deleted)
            ON CONFLICT (conversation_id, seq, position) DO NOTHING""";

    private static final String ADVANCE_CONVERSATION = """
            UPDATE conversations c
               SET last_seq = GREATEST(c.last_seq, v.last_seq),
                   last_activity_at = GREATEST(c.last_activity_at, v.last_activity)
              FROM (VALUES (?::bigint, ?::timestamptz)) AS v(last_seq, last_activity)
             WHERE c.conversation_id = ? AND (c.last_seq < v.last_seq OR c.last_activity_at < v.last_activity)""";

    private static final String ADVANCE_MEMBER = """
            UPDATE conversation_members m
               SET read_seq = GREATEST(m.read_seq, v.read_seq),
                   delivered_seq = GREATEST(m.delivered_seq, v.delivered_seq)
              FROM (VALUES (?::bigint, ?::bigint)) AS v(read_seq, delivered_seq)
             WHERE m.conversation_id = ? AND m.user_id = ?
               AND (m.read_seq < v.read_seq OR m.delivered_seq < v.delivered_seq)""";

    void write(Connection connection, ArchiveBatch batch) throws SQLException {
        if (!batch.messages().isEmpty()) {
            insertMessages(connection, batch);
            insertEnvelopes(connection, batch);
            insertAttachments(connection, batch);
        }
        // conversations and members rows are written by REST; a row not there (yet) is simply not updated
        if (!batch.conversations().isEmpty()) {
            try (PreparedStatement advance = connection.prepareStatement(ADVANCE_CONVERSATION)) {
                for (Map.Entry<String, ArchiveBatch.Watermark> c : batch.conversations().entrySet()) {
                    advance.setLong(1, c.getValue().lastSeq());
                    advance.setObject(2, utc(c.getValue().lastActivity()));
                    advance.setString(3, c.getKey());
                    advance.addBatch();
                }
                advance.executeBatch();
            }
        }
        if (!batch.cursors().isEmpty()) {
            try (PreparedStatement advance = connection.prepareStatement(ADVANCE_MEMBER)) {
                for (Map.Entry<ArchiveBatch.MemberKey, ArchiveBatch.Cursors> m : batch.cursors().entrySet()) {
                    advance.setLong(1, m.getValue().readSeq());
                    advance.setLong(2, m.getValue().deliveredSeq());
                    advance.setString(3, m.getKey().conversationId());
                    advance.setString(4, m.getKey().userId());
                    advance.addBatch();
                }
                advance.executeBatch();
            }
        }
    }

    private static void insertMessages(Connection connection, ArchiveBatch batch) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_MESSAGE)) {
            for (ChatMessage m : batch.messages()) {
                Ciphertext ciphertext = m.getCiphertext();
                insert.setString(1, m.getConversationId());
                insert.setLong(2, m.getSeq());
                insert.setString(3, m.getMessageId());
                insert.setString(4, m.getClientId());
                insert.setString(5, m.getSenderId());
                insert.setString(6, m.getSenderDeviceId());
                insert.setString(7, ciphertext == null ? m.getBody() : "");
                insert.setObject(8, utc(m.getTs()));
                insert.setBoolean(9, ciphertext != null);
                insert.setString(10, ciphertext == null ? null : ciphertext.getAlgorithm());
                insert.setObject(11, m.getReplyTo(), Types.BIGINT);
                insert.setBoolean(12, m.getFailed());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** After the messages, which the envelopes refer to. */
    private static void insertEnvelopes(Connection connection, ArchiveBatch batch) throws SQLException {
        if (batch.messages().stream().allMatch(m -> m.getCiphertext() == null)) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(Envelopes.INSERT_AS_SENT)) {
            for (ChatMessage m : batch.messages()) {
                if (m.getCiphertext() != null) {
                    Envelopes.add(insert, m.getConversationId(), m.getSeq(), m.getCiphertext());
                }
            }
            insert.executeBatch();
        }
    }

    /** After the messages, which the attachments refer to. */
    private static void insertAttachments(Connection connection, ArchiveBatch batch) throws SQLException {
        if (batch.messages().stream().allMatch(m -> m.getAttachments().isEmpty())) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(INSERT_ATTACHMENT)) {
            for (ChatMessage m : batch.messages()) {
                List<Attachment> attachments = m.getAttachments();
                for (int position = 0; position < attachments.size(); position++) {
                    Attachment a = attachments.get(position);
                    insert.setString(1, m.getConversationId());
                    insert.setLong(2, m.getSeq());
                    insert.setShort(3, (short) position);
                    insert.setString(4, a.getMediaId());
                    insert.setString(5, a.getContentType());
                    insert.setLong(6, a.getSize());
                    insert.setString(7, a.getName());
                    insert.setObject(8, a.getWidth(), Types.INTEGER);
                    insert.setObject(9, a.getHeight(), Types.INTEGER);
                    insert.setObject(10, a.getDurationMs(), Types.BIGINT);
                    insert.setString(11, m.getConversationId());
                    insert.setLong(12, m.getSeq());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
