package io.kchat.gateway.contacts;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The contact_requests table: at most one pending request per direction (a partial unique index). */
final class RequestStore {

    private static final String COLUMNS = "request_id, from_user_id, to_user_id, message, state, created_at";

    void insert(Connection connection, ContactRequest request) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO contact_requests (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?)")) {
            statement.setString(1, request.requestId());
            statement.setString(2, request.fromUserId());
            statement.setString(3, request.toUserId());
            statement.setString(4, request.message());
            statement.setString(5, request.state());
            Timestamps.set(statement, 6, request.ts());
            statement.executeUpdate();
        }
    }

    Optional<ContactRequest> find(Connection connection, String requestId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM contact_requests WHERE request_id = ?")) {
            statement.setString(1, requestId);
            return readAll(statement).stream().findFirst();
        }
    }

    /** The pending request from one user to the other, if there is one. */
    Optional<ContactRequest> pending(Connection connection, String fromUserId, String toUserId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM contact_requests WHERE from_user_id = ? AND to_user_id = ? AND state = 'pending'")) {
            statement.setString(1, fromUserId);
            statement.setString(2, toUserId);
            return readAll(statement).stream().findFirst();
        }
    }

    /** Pending requests to ({@code incoming}) or from the user, newest first. */
    List<ContactRequest> pendingOf(Connection connection, String userId, boolean incoming) throws SQLException {
        String column = incoming ? "to_user_id" : "from_user_id";
        try (PreparedStatement statement = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM contact_requests WHERE " + column + " = ? AND state = 'pending'"
                + " ORDER BY created_at DESC, request_id")) {
            statement.setString(1, userId);
            return readAll(statement);
        }
    }

    /** Decides a pending request; @return false when it was no longer pending */
    boolean decide(Connection connection, String requestId, RequestState decision, Instant at) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE contact_requests SET state = ?, decided_at = ? WHERE request_id = ? AND state = 'pending'")) {
            statement.setString(1, decision.wireName());
            Timestamps.set(statement, 2, at);
            statement.setString(3, requestId);
            return statement.executeUpdate() == 1;
        }
    }

    private static List<ContactRequest> readAll(PreparedStatement statement) throws SQLException {
        try (ResultSet rows = statement.executeQuery()) {
            List<ContactRequest> requests = new ArrayList<>();
            while (rows.next()) {
                requests.add(new ContactRequest(rows.getString("request_id"), rows.getString("from_user_id"),
                        rows.getString("to_user_id"), rows.getString("message"), rows.getString("state"),
                        Timestamps.get(rows, "created_at")));
            }
            return requests;
        }
    }
}
