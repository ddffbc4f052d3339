package io.kchat.gateway.conversations;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conversations and conversation_members tables. */
public final class ConversationStore {

    private static final String COLUMNS =
            "c.conversation_id, c.type, c.title, c.version, c.created_at, c.last_activity_at";

    /**
     * Inserts the conversation row, unless it is a direct one whose pair already has one.
     *
     * @return false when the pair's direct conversation exists (whoever created it)
     */
    public boolean insert(Connection connection, Conversation conversation, String directKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO conversations (conversation_id, type, title, direct_key, version, created_at, last_activity_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (direct_key) DO NOTHING""")) {
            statement.setString(1, conversation.conversationId());
            statement.setString(2, conversation.kind().wireName());
            statement.setString(3, conversation.title());
            statement.setString(4, directKey);
            statement.setLong(5, conversation.version());
            Timestamps.set(statement, 6, conversation.createdAt());
            Timestamps.set(statement, 7, conversation.lastActivityAt());
            return statement.executeUpdate() == 1;
        }
    }

    public void insertMembers(Connection connection, Conversation conversation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)")) {
            for (Membership member : conversation.members()) {
                statement.setString(1, conversation.conversationId());
                statement.setString(2, member.userId());
                statement.setString(3, member.role().wireName());
                Timestamps.set(statement, 4, conversation.createdAt());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    public Optional<Conversation> findDirect(Connection connection, String directKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM conversations c WHERE c.direct_key = ?")) {
            statement.setString(1, directKey);
            return withMembers(connection, readAll(statement)).stream().findFirst();
        }
    }

    /** The conversation if {@code userId} is a member of it: others cannot tell it exists. */
    public Optional<Conversation> findForMember(Connection connection, String conversationId, String userId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + """
                 FROM conversations c JOIN conversation_members m ON m.conversation_id = c.conversation_id
                WHERE c.conversation_id = ? AND m.user_id = ?""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            return withMembers(connection, readAll(statement)).stream().findFirst();
        }
    }

    /** The user's conversations, most recent activity first. */
    public List<Conversation> listForMember(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS + """
                 FROM conversations c JOIN conversation_members m ON m.conversation_id = c.conversation_id
                WHERE m.user_id = ?
                ORDER BY c.last_activity_at DESC, c.conversation_id""")) {
            statement.setString(1, userId);
            return withMembers(connection, readAll(statement));
        }
    }

    private static List<Conversation> readAll(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<Conversation> conversations = new ArrayList<>();
            while (rows.next()) {
                conversations.add(new Conversation(rows.getString("conversation_id"),
                        ConversationKind.fromWire(rows.getString("type")).orElseThrow(),
                        rows.getString("title"), List.of(), rows.getLong("version"),
                        Timestamps.get(rows, "created_at"), Timestamps.get(rows, "last_activity_at")));
            }
            return conversations;
        }
    }

    /** Loads the members of all the conversations in one query. */
    private static List<Conversation> withMembers(Connection connection, List<Conversation> conversations)
            throws SQLException {
        if (conversations.isEmpty()) {
            return conversations;
        }
        Map<String, List<Membership>> members = new LinkedHashMap<>();
        conversations.forEach(c -> members.put(c.conversationId(), new ArrayList<>()));
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT conversation_id, user_id, role FROM conversation_members
                WHERE conversation_id = ANY (?) ORDER BY conversation_id, joined_at, user_id""")) {
            statement.setArray(1, connection.createArrayOf("text", members.keySet().toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    members.get(rows.getString(1)).add(new Membership(rows.getString(2), Role.fromWire(rows.getString(3))));
                }
            }
        }
        return conversations.stream().map(c -> c.withMembers(members.get(c.conversationId()))).toList();
    }
}
