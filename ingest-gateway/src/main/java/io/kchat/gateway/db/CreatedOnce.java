package io.kchat.gateway.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Something every gateway reads from PostgreSQL and the first one to start creates (the token signing keys, the VAPID
 * key): gateways starting together must agree on one, so creation runs under a transaction-scoped advisory lock and
 * the value is read again under it before anything is made.
 */
public final class CreatedOnce {

    /** A step on the caller's connection that answers nothing (a lock, an insert). */
    @FunctionalInterface
    public interface SqlStep {
        void run(Connection connection) throws SQLException;
    }

    private CreatedOnce() {
    }

    /**
     * Within the caller's transaction: {@code read}; when it finds nothing, {@code lock} (the caller's transaction-scoped
     * advisory lock, {@link #lockForTransaction}), {@code read} again (another gateway may have created it meanwhile),
     * {@code create} if still absent, and {@code read} once more.
     */
    public static <T> T readOrCreate(Connection connection, SqlWork<Optional<T>> read, SqlStep lock, SqlStep create)
            throws SQLException {
        Optional<T> existing = read.apply(connection);
        if (existing.isPresent()) {
            return existing.get();
        }
        lock.run(connection);
        existing = read.apply(connection);
        if (existing.isPresent()) {
            return existing.get();
        }
        create.run(connection);
        return read.apply(connection).orElseThrow(() -> new SQLException("created, yet not read back"));
    }

    /** The advisory lock {@code key} (any constant of the caller's own), held until the end of the transaction. */
    public static void lockForTransaction(Connection connection, long key) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
            statement.setLong(1, key);
            statement.execute();
        }
    }
}
