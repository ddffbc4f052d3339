package io.kchat.gateway.auth.sessions;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The devices table: the devices a user is logged in from (captured by CDC for the user side). */
public final class DeviceStore {

    public boolean exists(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Locks the device's row for the rest of the transaction (a logout's delete waits for it): false when the device
     * is not registered.
     */
    public boolean lock(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ? FOR NO KEY UPDATE")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    public List<String> deviceIds(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT device_id FROM devices WHERE user_id = ? ORDER BY created_at")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rows.next()) {
                    ids.add(rows.getString(1));
                }
                return ids;
            }
        }
    }

    public int count(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT count(*) FROM devices WHERE user_id = ?")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    public void insert(Connection connection, String userId, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO devices (user_id, device_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            Timestamps.set(statement, 3, now);
            Timestamps.set(statement, 4, now);
            statement.executeUpdate();
        }
    }

    public void touch(Connection connection, String userId, String deviceId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE devices SET last_seen_at = ? WHERE user_id = ? AND device_id = ?")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, userId);
            statement.setString(3, deviceId);
            statement.executeUpdate();
        }
    }

    /** @return whether the device was registered until now */
    public boolean delete(Connection connection, String userId, String deviceId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "DELETE FROM devices WHERE user_id = ? AND device_id = ?")) {
            statement.setString(1, userId);
            statement.setString(2, deviceId);
            return statement.executeUpdate() > 0;
        }
    }
}
