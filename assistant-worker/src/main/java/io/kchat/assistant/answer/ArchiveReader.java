package io.kchat.assistant.answer;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The conversation's earlier messages from the PostgreSQL archive. The delivery-service writes the archive after the
 * fact, so the previous answer may not be there yet when the next question arrives: {@link #earlier} first waits, a
 * bounded time, for the conversation's archive watermark ({@code conversations.last_seq}) to reach the message
 * before the question, then goes on with what there is.
 */
public final class ArchiveReader {

    private static final Duration CHECK_INTERVAL = Duration.ofMillis(50);

    private final DataSource database;
    private final Duration maxWait;

    public ArchiveReader(DataSource database, Duration maxWait) {
        this.database = database;
        this.maxWait = maxWait;
    }

    /** Up to {@code limit} messages before {@code seq} worth giving a model, newest first. */
    public List<ArchivedMessage> earlier(String conversationId, long seq, int limit)
            throws SQLException, InterruptedException {
        if (limit == 0) {
            return List.of();
        }
        awaitArchived(conversationId, seq - 1);
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT seq, sender_id, body FROM messages WHERE conversation_id = ? AND seq < ? "
                             + "AND NOT deleted AND NOT failed AND NOT encrypted AND body <> '' "
                             + "ORDER BY seq DESC LIMIT ?")) {
            statement.setString(1, conversationId);
            statement.setLong(2, seq);
            statement.setInt(3, limit);
            List<ArchivedMessage> messages = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    messages.add(new ArchivedMessage(rows.getLong(1), rows.getString(2), rows.getString(3)));
                }
            }
            return messages;
        }
    }

    private void awaitArchived(String conversationId, long seq) throws SQLException, InterruptedException {
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (archivedUpTo(conversationId) < seq && System.nanoTime() - deadline < 0) {
            Thread.sleep(CHECK_INTERVAL);
        }
    }

    private long archivedUpTo(String conversationId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT last_seq FROM conversations WHERE conversation_id = ?")) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getLong(1) : Long.MAX_VALUE;
            }
        }
    }
}
