package io.kchat.gateway.nodes;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The {@code nodes} and {@code sessions} tables (V2) as one node incarnation writes them. */
final class NodeStore {

    private final String nodeId;
    private final String incarnation;

    NodeStore(String nodeId, String incarnation) {
        this.nodeId = nodeId;
        this.incarnation = incarnation;
    }

    String incarnation() {
        return incarnation;
    }

    /** Claims the node id for this incarnation and beats, on the database clock. */
    void beat(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO nodes (node_id, incarnation, heartbeat_at) VALUES (?, ?, now())
                ON CONFLICT (node_id) DO UPDATE SET incarnation = EXCLUDED.incarnation, heartbeat_at = now()""")) {
            statement.setString(1, nodeId);
            statement.setString(2, incarnation);
            statement.executeUpdate();
        }
    }

    long countSessions(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM sessions WHERE node_id = ? AND incarnation = ?")) {
            statement.setString(1, nodeId);
            statement.setString(2, incarnation);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    Set<String> sessionIds(Connection connection) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT session_id FROM sessions WHERE node_id = ? AND incarnation = ?")) {
            statement.setString(1, nodeId);
            statement.setString(2, incarnation);
            Set<String> ids = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
            }
            return ids;
        }
    }

    /** Idempotent: a row already there (a retry after a lost answer) is left as it is. */
    void insertSessions(Connection connection, Collection<SessionRow> sessions) throws SQLException {
        if (sessions.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO sessions (session_id, user_id, device_id, node_id, incarnation, opened_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id) DO NOTHING""")) {
            for (SessionRow session : sessions) {
                statement.setString(1, session.sessionId());
                statement.setString(2, session.userId());
                statement.setString(3, session.deviceId());
                statement.setString(4, nodeId);
                statement.setString(5, incarnation);
                Timestamps.set(statement, 6, session.openedAt());
                statement.addBatch();
            }
            statement.executeBatch();
        }
    }

    void deleteSessions(Connection connection, Collection<String> sessionIds) throws SQLException {
        if (sessionIds.isEmpty()) {
            return;
        }
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM sessions WHERE node_id = ? AND session_id = ANY(?)")) {
            statement.setString(1, nodeId);
            statement.setArray(2, connection.createArrayOf("text", sessionIds.toArray()));
            statement.executeUpdate();
        }
    }

    /**
     * A graceful stop: this incarnation's node row goes. Its session rows left (sessions not known closed) are
     * then the reaper's at once, whatever the expiry.
     */
    void removeNode(Connection connection) throws SQLException {
        try (PreparedStatement node = connection.prepareStatement(
                "DELETE FROM nodes WHERE node_id = ? AND incarnation = ?")) {
            node.setString(1, nodeId);
            node.setString(2, incarnation);
            node.executeUpdate();
        }
    }
}
