package io.kchat.delivery.routing;

import io.kchat.events.SessionRoute;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import javax.sql.DataSource;

/**
 * Who may see ephemeral traffic and where their sessions are, read from the tables REST and the gateways
 * write: {@code conversation_members} and {@code sessions}.
 */
public final class SessionDirectory {

    private static final String OPEN_SESSIONS = """
            SELECT node_id, user_id, session_id FROM sessions
             WHERE user_id = ANY (?)
             ORDER BY node_id, user_id, session_id""";

    // A block, either way, keeps presence and typing from crossing between the two users (API: someone you blocked
    // no longer sees your presence and typing, and you no longer receive theirs).
    private static final String NOT_BLOCKED = """

             AND NOT EXISTS (SELECT 1 FROM blocks b
                              WHERE (b.blocker_id = ? AND b.blocked_id = other.user_id)
                                 OR (b.blocker_id = other.user_id AND b.blocked_id = ?))""";

    private static final String CO_MEMBERS = """
            SELECT DISTINCT other.user_id
              FROM conversation_members mine
              JOIN conversation_members other ON other.conversation_id = mine.conversation_id
             WHERE mine.user_id = ? AND other.user_id <> mine.user_id""" + NOT_BLOCKED;

    // empty unless the sender is a member: typing bypasses the processor's authorization (D10), not ours
    private static final String OTHER_MEMBERS = """
            SELECT other.user_id
              FROM conversation_members other
             WHERE other.conversation_id = ? AND other.user_id <> ?
               AND EXISTS (SELECT 1 FROM conversation_members me
                            WHERE me.conversation_id = other.conversation_id AND me.user_id = ?)""" + NOT_BLOCKED;

    private final DataSource database;

    public SessionDirectory(DataSource database) {
        this.database = database;
    }

    /** Node id to user id to that user's sessions on that node, for the users that have any. */
    Map<String, Map<String, List<SessionRoute>>> openSessionsByNode(Collection<String> userIds) throws SQLException {
        Map<String, Map<String, List<SessionRoute>>> byNode = new LinkedHashMap<>();
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(OPEN_SESSIONS)) {
            Array users = connection.createArrayOf("text", userIds.toArray());
            query.setArray(1, users);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String node = rows.getString(1);
                    byNode.computeIfAbsent(node, n -> new LinkedHashMap<>())
                            .computeIfAbsent(rows.getString(2), u -> new ArrayList<>())
                            .add(new SessionRoute(node, rows.getString(3)));
                }
            }
        }
        return byNode;
    }

    /** Everyone sharing at least one conversation with {@code userId}, not the user, nor anyone a block separates it from. */
    public Set<String> coMembersOf(String userId) throws SQLException {
        return users(CO_MEMBERS, userId, userId, userId);
    }

    /**
     * The other members of the conversation not separated from {@code memberId} by a block, or nobody when
     * {@code memberId} is not a member.
     */
    public Set<String> otherMembers(String conversationId, String memberId) throws SQLException {
        return users(OTHER_MEMBERS, conversationId, memberId, memberId, memberId, memberId);
    }

    private Set<String> users(String sql, String... parameters) throws SQLException {
        Set<String> users = new TreeSet<>();
        try (Connection connection = database.getConnection();
             PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setString(i + 1, parameters[i]);
            }
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    users.add(rows.getString(1));
                }
            }
        }
        return users;
    }
}
