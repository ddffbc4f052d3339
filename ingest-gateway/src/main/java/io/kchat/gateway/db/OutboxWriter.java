package io.kchat.gateway.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Appends to the outbox in the caller's transaction (D1): the command commits with the state it
 * describes, and CDC relays it even if the process dies before publishing it itself.
 */
public final class OutboxWriter {

    public void append(Connection connection, String aggregateId, String eventType, byte[] payload, Instant createdAt)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO outbox (aggregate_id, event_type, payload, created_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, aggregateId);
            statement.setString(2, eventType);
            statement.setBytes(3, payload);
            Timestamps.set(statement, 4, createdAt);
            statement.executeUpdate();
        }
    }
}
