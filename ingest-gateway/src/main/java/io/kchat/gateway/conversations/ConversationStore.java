package io.kchat.gateway.conversations;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The conversations and conversation_members tables: the rows a membership change writes. */
public final class ConversationStore {

    static final String COLUMNS =
            "c.conversation_id, c.type, c.title, c.version, c.created_at, c.last_activity_at, c.encrypted, c.avatar_media_id";

    /**
     * Inserts the conversation row, unless it is a direct one whose pair already has one.
     *
     * @return false when the pair's direct conversation exists (whoever created it)
     */
    public boolean insert(Connection connection, Conversation conversation, String directKey) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO conversations (conversation_id, type, title, direct_key, version, created_at, last_activity_at,
                                           encrypted)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (direct_key) DO NOTHING""")) {
            statement.setString(1, conversation.conversationId());
            statement.setString(2, conversation.kind().wireName());
            statement.setString(3, conversation.title());
            statement.setString(4, directKey);
            statement.setLong(5, conversation.version());
            Timestamps.set(statement, 6, conversation.createdAt());
            Timestamps.set(statement, 7, conversation.lastActivityAt());
            statement.setBoolean(8, conversation.encrypted());
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

    /**
     * Locks the conversation row for a membership or metadata change: concurrent changes of one conversation
     * queue here, so each reads the members the previous one committed and versions never collide. NO KEY
     * UPDATE: foreign-key checks of member rows (KEY SHARE) are not blocked.
     */
    public Optional<Conversation> lock(Connection connection, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM conversations c WHERE c.conversation_id = ? FOR NO KEY UPDATE")) {
            statement.setString(1, conversationId);
            return withMembers(connection, readAll(statement)).stream().findFirst();
        }
    }

    /** Title, avatar and version together: every change of the snapshot gets a new version. */
    /** The conversation's kind, fixed at creation; empty when it does not exist. */
    public Optional<ConversationKind> kind(Connection connection, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT type FROM conversations WHERE conversation_id = ?")) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? ConversationKind.fromWire(rows.getString(1)) : Optional.empty();
            }
        }
    }

    public void update(Connection connection, Conversation conversation) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE conversations SET title = ?, avatar_media_id = ?, version = ? WHERE conversation_id = ?")) {
            statement.setString(1, conversation.title());
            statement.setString(2, conversation.avatarMediaId());
            statement.setLong(3, conversation.version());
            statement.setString(4, conversation.conversationId());
            statement.executeUpdate();
        }
    }

    /**
     * A member joining an existing conversation starts with {@code read_seq} at the archive watermark: the
     * history before the join is readable but not counted as unread.
     */
    public void addMember(Connection connection, String conversationId, Membership member, Instant joinedAt)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO conversation_members (conversation_id, user_id, role, joined_at, read_seq)
                SELECT conversation_id, ?, ?, ?, last_seq FROM conversations WHERE conversation_id = ?""")) {
            statement.setString(1, member.userId());
            statement.setString(2, member.role().wireName());
            Timestamps.set(statement, 3, joinedAt);
            statement.setString(4, conversationId);
            statement.executeUpdate();
        }
    }

    public void removeMember(Connection connection, String conversationId, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM conversation_members WHERE conversation_id = ? AND user_id = ?")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            statement.executeUpdate();
        }
    }

    public void setRole(Connection connection, String conversationId, Membership member) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE conversation_members SET role = ? WHERE conversation_id = ? AND user_id = ?")) {
            statement.setString(1, member.role().wireName());
            statement.setString(2, conversationId);
            statement.setString(3, member.userId());
            statement.executeUpdate();
        }
    }

    private static List<Conversation> readAll(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<Conversation> conversations = new ArrayList<>();
            while (rows.next()) {
                conversations.add(conversation(rows));
            }
            return conversations;
        }
    }

    /** Without members: {@link #withMembers} adds them for a whole list at once. */
    static Conversation conversation(ResultSet rows) throws SQLException {
        return new Conversation(rows.getString("conversation_id"),
                ConversationKind.fromWire(rows.getString("type")).orElseThrow(),
                rows.getString("title"), List.of(), rows.getLong("version"),
                Timestamps.get(rows, "created_at"), Timestamps.get(rows, "last_activity_at"),
                rows.getBoolean("encrypted"), rows.getString("avatar_media_id"));
    }

    /** Loads the members of all the conversations in one query. */
    static List<Conversation> withMembers(Connection connection, List<Conversation> conversations)
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
