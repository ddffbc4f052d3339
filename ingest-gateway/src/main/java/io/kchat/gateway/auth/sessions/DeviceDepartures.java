package io.kchat.gateway.auth.sessions;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;

/**
 * What other features do when a device logs out, inside the logout's transaction, before its row goes (rows that
 * hang off it go with it by cascade): each returns what to do once the transaction committed. The key directory tells
 * those who may know the device's keys, for one.
 */
@FunctionalInterface
public interface DeviceDepartures {

    DeviceDepartures NONE = (connection, userId, deviceId, at) -> () -> { };

    /** @return run after the commit (a publish, say); never inside the transaction */
    Runnable leaving(Connection connection, String userId, String deviceId, Instant at) throws SQLException;
}
