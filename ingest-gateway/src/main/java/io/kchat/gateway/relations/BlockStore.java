package io.kchat.gateway.relations;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The blocks table: one row per blocker and blocked user. Most questions are asked "either way". */
public final class BlockStore {

    /** A block the user placed: whom, and since when. */
    public record Blocked(String userId, Instant since) {
    }

    /** @return false when the block was there already */
    public boolean insert(Connection connection, String blockerId, String blockedId, Instant since)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO blocks (blocker_id, blocked_id, since) VALUES (?, ?, ?)
                ON CONFLICT (blocker_id, blocked_id) DO NOTHING""")) {
            statement.setString(1, blockerId);
            statement.setString(2, blockedId);
            Timestamps.set(statement, 3, since);
            return statement.executeUpdate() == 1;
        }
    }

    /** @return false when there was no such block */
    public boolean delete(Connection connection, String blockerId, String blockedId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM blocks WHERE blocker_id = ? AND blocked_id = ?")) {
            statement.setString(1, blockerId);
            statement.setString(2, blockedId);
            return statement.executeUpdate() == 1;
        }
    }

    public boolean blocks(Connection connection, String blockerId, String blockedId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM blocks WHERE blocker_id = ? AND blocked_id = ?")) {
            statement.setString(1, blockerId);
            statement.setString(2, blockedId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Whether a block exists between the two, whichever placed it. */
    public boolean separated(Connection connection, String userA, String userB) throws SQLException {
        return !separatedFrom(connection, userA, List.of(userB)).isEmpty();
    }

    /** Of {@code others}, those a block separates from {@code userId}, either way. */
    public Set<String> separatedFrom(Connection connection, String userId, Collection<String> others)
            throws SQLException {
        Set<String> found = new LinkedHashSet<>();
        if (others.isEmpty()) {
            return found;
        }
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT blocked_id FROM blocks WHERE blocker_id = ? AND blocked_id = ANY (?)
                UNION
                SELECT blocker_id FROM blocks WHERE blocked_id = ? AND blocker_id = ANY (?)""")) {
            var ids = connection.createArrayOf("text", others.toArray());
            statement.setString(1, userId);
            statement.setArray(2, ids);
            statement.setString(3, userId);
            statement.setArray(4, ids);
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
            }
        }
        return found;
    }

    /** The blocks {@code blockerId} placed, newest first. */
    public List<Blocked> placedBy(Connection connection, String blockerId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT blocked_id, since FROM blocks WHERE blocker_id = ? ORDER BY since DESC, blocked_id")) {
            statement.setString(1, blockerId);
            try (ResultSet rows = statement.executeQuery()) {
                List<Blocked> blocks = new ArrayList<>();
                while (rows.next()) {
                    blocks.add(new Blocked(rows.getString("blocked_id"), Timestamps.get(rows, "since")));
                }
                return blocks;
            }
        }
    }
}
