package io.kchat.gateway.messages;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The attachments of archived messages ({@code message_attachments}, written by the delivery-service with the message),
 * for a whole list of messages in one query: a history page, or the last messages of a conversation list.
 */
public final class Attachments {

    private static final String SELECT = """
            SELECT a.conversation_id, a.seq, a.media_id, a.content_type, a.size, a.name, a.width, a.height,
                   a.duration_ms
              FROM message_attachments a
              JOIN unnest(?::text[], ?::bigint[]) AS k(conversation_id, seq)
                ON a.conversation_id = k.conversation_id AND a.seq = k.seq
             ORDER BY a.conversation_id, a.seq, a.position""";

    private record MessageKey(String conversationId, long seq) {
    }

    private Attachments() {
    }

    /**
     * @return {@code messages} in their order, each with its attachments in the send's order; a message without any,
     *         or deleted, unchanged
     */
    public static List<MessageView> attach(Connection connection, List<MessageView> messages) throws SQLException {
        List<MessageView> candidates = messages.stream().filter(m -> m.deleted() == null).toList();
        if (candidates.isEmpty()) {
            return messages;
        }
        Map<MessageKey, List<AttachmentView>> found = read(connection, candidates);
        if (found.isEmpty()) {
            return messages;
        }
        List<MessageView> attached = new ArrayList<>(messages.size());
        for (MessageView message : messages) {
            List<AttachmentView> attachments = found.get(new MessageKey(message.conversationId(), message.seq()));
            attached.add(attachments == null || message.deleted() != null ? message
                    : message.withAttachments(attachments));
        }
        return attached;
    }

    private static Map<MessageKey, List<AttachmentView>> read(Connection connection, List<MessageView> messages)
            throws SQLException {
        Array conversations = connection.createArrayOf("text",
                messages.stream().map(MessageView::conversationId).toArray());
        Array seqs = connection.createArrayOf("bigint", messages.stream().map(MessageView::seq).toArray());
        try (PreparedStatement statement = connection.prepareStatement(SELECT)) {
            statement.setArray(1, conversations);
            statement.setArray(2, seqs);
            Map<MessageKey, List<AttachmentView>> found = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.computeIfAbsent(new MessageKey(rows.getString("conversation_id"), rows.getLong("seq")),
                            key -> new ArrayList<>()).add(new AttachmentView(rows.getString("media_id"),
                            rows.getString("content_type"), rows.getLong("size"), rows.getString("name"),
                            rows.getObject("width", Integer.class), rows.getObject("height", Integer.class),
                            rows.getObject("duration_ms", Long.class)));
                }
            }
            return found;
        } finally {
            conversations.free();
            seqs.free();
        }
    }
}
