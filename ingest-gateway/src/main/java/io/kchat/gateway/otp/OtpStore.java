package io.kchat.gateway.otp;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** The otp_requests table: one row per code sent, also the ledger the request throttles count. */
final class OtpStore {

    /** Advisory lock classes (two-int form): serialise the throttle check and insert per phone and per address. */
    private static final int PHONE_LOCK = 0x6f74_7001;
    private static final int ADDRESS_LOCK = 0x6f74_7002;

    /** A code request as verification needs it. */
    record Pending(String requestId, String phone, byte[] codeHash, Instant expiresAt, int failedAttempts,
                   Instant closedAt) {
        boolean usable(Instant now, int maxAttempts) {
            return closedAt == null && expiresAt.isAfter(now) && failedAttempts < maxAttempts;
        }
    }

    /** Held until the end of the caller's transaction; always phone first, then address. */
    void lock(Connection connection, String phone, String clientIp) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT pg_advisory_xact_lock(?, hashtext(?)), pg_advisory_xact_lock(?, hashtext(?))")) {
            statement.setInt(1, PHONE_LOCK);
            statement.setString(2, phone);
            statement.setInt(3, ADDRESS_LOCK);
            statement.setString(4, clientIp);
            statement.execute();
        }
    }

    /**
     * Deletes up to {@code limit} rows created before {@code before}, skipping rows other transactions hold: each
     * request removes more stale rows than it adds, so the table stays the size of the recent traffic.
     */
    void purge(Connection connection, Instant before, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                DELETE FROM otp_requests WHERE request_id IN (
                    SELECT request_id FROM otp_requests WHERE created_at < ?
                    ORDER BY created_at LIMIT ? FOR UPDATE SKIP LOCKED)""")) {
            Timestamps.set(statement, 1, before);
            statement.setInt(2, limit);
            statement.executeUpdate();
        }
    }

    /**
     * When the {@code limit}-th newest request since {@code since} by this phone was made: the limit is reached
     * until that one leaves the window. Empty while under the limit.
     */
    Optional<Instant> limitReachedByPhone(Connection connection, String phone, Instant since, int limit)
            throws SQLException {
        return limitReached(connection, "phone", phone, since, limit);
    }

    Optional<Instant> limitReachedByAddress(Connection connection, String clientIp, Instant since, int limit)
            throws SQLException {
        return limitReached(connection, "client_ip", clientIp, since, limit);
    }

    /** Closes the phone's earlier codes: only the newest code of a phone is ever usable. */
    void supersede(Connection connection, String phone, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE otp_requests SET closed_at = ? WHERE phone = ? AND closed_at IS NULL")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, phone);
            statement.executeUpdate();
        }
    }

    void insert(Connection connection, String requestId, String phone, String clientIp, byte[] codeHash,
                Instant now, Instant expiresAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                INSERT INTO otp_requests (request_id, phone, client_ip, code_hash, created_at, expires_at)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            statement.setString(1, requestId);
            statement.setString(2, phone);
            statement.setString(3, clientIp);
            statement.setBytes(4, codeHash);
            Timestamps.set(statement, 5, now);
            Timestamps.set(statement, 6, expiresAt);
            statement.executeUpdate();
        }
    }

    void close(Connection connection, String requestId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE otp_requests SET closed_at = ? WHERE request_id = ? AND closed_at IS NULL")) {
            Timestamps.set(statement, 1, now);
            statement.setString(2, requestId);
            statement.executeUpdate();
        }
    }

    void recordFailure(Connection connection, String requestId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE otp_requests SET failed_attempts = failed_attempts + 1 WHERE request_id = ?")) {
            statement.setString(1, requestId);
            statement.executeUpdate();
        }
    }

    /** The request, row-locked until the end of the transaction, so that guesses on one code are serialised. */
    Optional<Pending> lockRequest(Connection connection, String requestId) throws SQLException {
        return lockOne(connection, "WHERE request_id = ?", requestId);
    }

    /** The phone's newest open request, row-locked: for a verify that names no request. */
    Optional<Pending> lockNewestOpen(Connection connection, String phone) throws SQLException {
        return lockOne(connection, "WHERE phone = ? AND closed_at IS NULL ORDER BY created_at DESC LIMIT 1", phone);
    }

    private Optional<Pending> lockOne(Connection connection, String where, String value) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT request_id, phone, code_hash, expires_at, failed_attempts, closed_at FROM otp_requests
                """ + where + " FOR UPDATE")) {
            statement.setString(1, value);
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Pending(rows.getString("request_id"), rows.getString("phone"),
                        rows.getBytes("code_hash"), Timestamps.get(rows, "expires_at"), rows.getInt("failed_attempts"),
                        Timestamps.get(rows, "closed_at")));
            }
        }
    }

    private Optional<Instant> limitReached(Connection connection, String column, String value, Instant since,
                                           int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT created_at FROM otp_requests WHERE "
                + column + " = ? AND created_at > ? ORDER BY created_at DESC OFFSET ? LIMIT 1")) {
            statement.setString(1, value);
            Timestamps.set(statement, 2, since);
            statement.setInt(3, limit - 1);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(Timestamps.get(rows, "created_at")) : Optional.empty();
            }
        }
    }
}
