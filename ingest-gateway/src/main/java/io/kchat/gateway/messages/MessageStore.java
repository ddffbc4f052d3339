package io.kchat.gateway.messages;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The message archive ({@code messages}, projected by the delivery-service) and the membership check that
 * guards it. Reads stop at the conversation's watermark {@code last_seq}: below it the archive has no holes,
 * so a page never skips a message that is still being projected.
 */
public final class MessageStore {

    /** Archived messages of a conversation with the reading device's envelopes; parameters: user, device, conversation. */
    private static final String SELECT = "SELECT m.seq, " + MessageRows.columns("m", "") + """
            , e.ciphertext
            FROM messages m JOIN conversations c ON c.conversation_id = m.conversation_id
            LEFT JOIN message_envelopes e ON m.encrypted AND e.conversation_id = m.conversation_id
                 AND e.seq = m.seq AND e.user_id = ? AND e.device_id = ?
            WHERE m.conversation_id = ? AND m.seq <= c.last_seq""";

    /** A current member: a removed member's row is gone, so they lose access to the history too. */
    public boolean isMember(Connection connection, String conversationId, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM conversation_members WHERE conversation_id = ? AND user_id = ?")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * @return the page, ascending by seq, as {@code deviceId} of {@code userId} reads it: an encrypted message with
     *         that device's envelope only, every message with its attachments and its reactions as {@code userId}
     *         sees them
     */
    public List<MessageView> page(Connection connection, String conversationId, String userId, String deviceId,
                                  HistoryQuery query) throws SQLException {
        String order = query.fromTheTop() ? "DESC" : "ASC";
        try (PreparedStatement statement = connection.prepareStatement(SELECT + """
                 AND m.seq > ? AND m.seq < ?
                ORDER BY m.seq\s""" + order + " LIMIT ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, conversationId);
            statement.setLong(4, query.lowerExclusive());
            statement.setLong(5, query.upperExclusive());
            statement.setInt(6, query.limit());
            List<MessageView> page = read(statement, conversationId);
            if (query.fromTheTop()) {
                Collections.reverse(page);
            }
            return MessageDetails.attach(connection, userId, page);
        }
    }

    /** The message {@code seq} in its current state, as {@link #page} shows it; empty when it is not archived. */
    public Optional<MessageView> one(Connection connection, String conversationId, String userId, String deviceId,
                                     long seq) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SELECT + " AND m.seq = ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            statement.setString(3, conversationId);
            statement.setLong(4, seq);
            return MessageDetails.attach(connection, userId, read(statement, conversationId)).stream().findFirst();
        }
    }

    private static List<MessageView> read(PreparedStatement statement, String conversationId) throws SQLException {
        List<MessageView> messages = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                messages.add(MessageRows.view(rows, "", conversationId, rows.getLong("seq")));
            }
        }
        return messages;
    }
}
