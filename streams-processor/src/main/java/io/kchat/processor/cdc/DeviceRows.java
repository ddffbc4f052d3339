package io.kchat.processor.cdc;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Whether a device row exists now. The relay uses it so that a late copy of a device change (CDC lags,
 * or repeats a window after a restart) cannot undo a newer one: a stale delete must not drop a device
 * that has logged in again since, a stale insert must not bring back one that has logged out.
 */
final class DeviceRows implements AutoCloseable {

    private final CdcConfig db;
    private Connection connection;

    DeviceRows(CdcConfig db) {
        this.db = db;
    }

    synchronized boolean exists(String userId, String deviceId) throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        }
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM devices WHERE user_id = ? AND device_id = ?")) {
            query.setString(1, userId);
            query.setString(2, deviceId);
            try (ResultSet row = query.executeQuery()) {
                return row.next();
            }
        } catch (SQLException e) {
            close(); // reconnect on the next call; the failed batch is redelivered
            throw e;
        }
    }

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // the connection is broken already
            }
            connection = null;
        }
    }

    /** The lookup as the mapper sees it. */
    @FunctionalInterface
    interface Lookup {
        boolean exists(String userId, String deviceId) throws SQLException;
    }
}
