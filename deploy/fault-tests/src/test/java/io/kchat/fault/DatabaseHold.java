package io.kchat.fault;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A transaction of the test's own holding locks in the run's database, so that a fault lands at a chosen moment
 * rather than by luck: rows the session reaper must skip (it takes rows {@code FOR UPDATE SKIP LOCKED}), a
 * gateway's heartbeat that cannot be written, session rows that cannot be written. {@link #close()} commits and
 * lets everything waiting go on.
 */
final class DatabaseHold implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(DatabaseHold.class);

    private final Connection connection;
    private final String what;
    private final boolean holds;

    private DatabaseHold(Connection connection, String what, boolean holds) {
        this.connection = connection;
        this.what = what;
        this.holds = holds;
    }

    /**
     * Locks the node's session rows there are now: the reaper passes them over until {@link #close()}, whatever
     * their node's heartbeat or incarnation. Returns with the locks taken.
     */
    static DatabaseHold sessionRowsOf(Stack stack, String nodeId) {
        DatabaseHold hold = open(stack, "session rows of " + nodeId, true);
        Set<String> locked = hold.query("SELECT session_id FROM sessions WHERE node_id = ? FOR UPDATE", nodeId);
        log.info("holding {} session rows of {} away from the reaper", locked.size(), nodeId);
        return hold;
    }

    /**
     * Locks the node's row: its gateway's next heartbeat waits (as when the node cannot reach the database), so that
     * after NODE_EXPIRY the reaper judges it dead while its sockets and its Kafka traffic go on.
     */
    static DatabaseHold heartbeatOf(Stack stack, String nodeId) {
        DatabaseHold hold = open(stack, "heartbeat of " + nodeId, true);
        hold.query("SELECT node_id FROM nodes WHERE node_id = ? FOR UPDATE", nodeId);
        log.info("holding the heartbeat of {}", nodeId);
        return hold;
    }

    /** Blocks every write to the sessions table (SHARE mode conflicts with INSERT and DELETE), reads go on. */
    static DatabaseHold sessionWrites(Stack stack) {
        DatabaseHold hold = open(stack, "writes to sessions", true);
        try (PreparedStatement lock = hold.connection.prepareStatement("LOCK TABLE sessions IN SHARE MODE")) {
            lock.execute();
        } catch (SQLException e) {
            hold.close();
            throw new IllegalStateException("cannot lock the sessions table", e);
        }
        log.info("holding every write to the sessions table");
        return hold;
    }

    /** The node's session rows now. */
    static Set<String> sessionIdsOf(Stack stack, String nodeId) {
        try (DatabaseHold reader = open(stack, "read", false)) {
            return reader.query("SELECT session_id FROM sessions WHERE node_id = ?", nodeId);
        }
    }

    /** The incarnation the node's row names now (empty set when there is no row). */
    static Set<String> incarnationOf(Stack stack, String nodeId) {
        try (DatabaseHold reader = open(stack, "read", false)) {
            return reader.query("SELECT incarnation FROM nodes WHERE node_id = ?", nodeId);
        }
    }

    @Override
    public void close() {
        try (connection) {
            connection.commit();
            if (holds) {
                log.info("released: {}", what);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release " + what, e);
        }
    }

    private static DatabaseHold open(Stack stack, String what, boolean holds) {
        try {
            Connection connection = stack.openDatabase();
            connection.setAutoCommit(false);
            return new DatabaseHold(connection, what, holds);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot open the run's database", e);
        }
    }

    private Set<String> query(String sql, String parameter) {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            Set<String> values = new LinkedHashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run " + sql, e);
        }
    }
}
