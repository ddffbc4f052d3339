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
 * The reactions of archived messages ({@code message_reactions}, projected by the delivery-service), counted per key
 * for a whole list of messages in one query: a history page, or the last messages of a conversation list.
 */
public final class Reactions {

    /**
     * Keys in code point order ({@code COLLATE "C"}), the same whatever the database's locale. The primary key's
     * (conversation_id, seq) prefix finds each message's rows.
     */
    private static final String COUNTS = """
            SELECT r.conversation_id, r.seq, r.key, count(*) AS count, bool_or(r.user_id = ?) AS me
              FROM message_reactions r
              JOIN unnest(?::text[], ?::bigint[]) AS k(conversation_id, seq)
                ON r.conversation_id = k.conversation_id AND r.seq = k.seq
             GROUP BY r.conversation_id, r.seq, r.key
             ORDER BY r.conversation_id, r.seq, count(*) DESC, r.key COLLATE "C\"""";

    private record MessageKey(String conversationId, long seq) {
    }

    private Reactions() {
    }

    /**
     * @return {@code messages} in their order, each with its reactions as {@code userId} sees them (most used first,
     *         then by key); a message without any, or deleted, unchanged
     */
    public static List<MessageView> attach(Connection connection, String userId, List<MessageView> messages)
            throws SQLException {
        List<MessageView> candidates = messages.stream().filter(m -> m.deleted() == null).toList();
        if (candidates.isEmpty()) {
            return messages;
        }
        Map<MessageKey, List<ReactionView>> counted = count(connection, userId, candidates);
        if (counted.isEmpty()) {
            return messages;
        }
        List<MessageView> attached = new ArrayList<>(messages.size());
        for (MessageView message : messages) {
            List<ReactionView> reactions = counted.get(new MessageKey(message.conversationId(), message.seq()));
            attached.add(reactions == null ? message : message.withReactions(reactions));
        }
        return attached;
    }

    private static Map<MessageKey, List<ReactionView>> count(Connection connection, String userId,
                                                             List<MessageView> messages) throws SQLException {
        Array conversations = connection.createArrayOf("text",
                messages.stream().map(MessageView::conversationId).toArray());
        Array seqs = connection.createArrayOf("bigint", messages.stream().map(MessageView::seq).toArray());
        try (PreparedStatement statement = connection.prepareStatement(COUNTS)) {
            statement.setString(1, userId);
            statement.setArray(2, conversations);
            statement.setArray(3, seqs);
            Map<MessageKey, List<ReactionView>> counted = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    counted.computeIfAbsent(new MessageKey(rows.getString("conversation_id"), rows.getLong("seq")),
                            key -> new ArrayList<>()).add(new ReactionView(rows.getString("key"),
                            rows.getLong("count"), rows.getBoolean("me")));
                }
            }
            return counted;
        } finally {
            conversations.free();
            seqs.free();
        }
    }
}
