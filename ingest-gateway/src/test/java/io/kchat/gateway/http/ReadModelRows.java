package io.kchat.gateway.http;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.Timestamps;
import java.sql.PreparedStatement;
import java.time.Instant;

/**
 * Writes the V2 read-model rows the delivery-service and the gateways' session directory would write, so
 * that the REST read model is tested on its own (the projector is tested in its module).
 */
public final class ReadModelRows {

    private final Database database;

    public ReadModelRows(Database database) {
        this.database = database;
    }

    /** An archived message, and the conversation's watermark and activity moved up to it. */
    public void message(String conversationId, long seq, String senderId, String body, Instant ts) {
        update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts)
                VALUES (?, ?, ?, ?, ?, 'device', ?, ?)""", conversationId, seq, "m-" + conversationId + "-" + seq,
                "c-" + seq, senderId, body, ts);
        update("UPDATE conversations SET last_seq = GREATEST(last_seq, ?), last_activity_at = GREATEST(last_activity_at, ?)"
                + " WHERE conversation_id = ?", seq, ts, conversationId);
    }

    /** Messages 1..count from one sender, a second apart from {@code start}, and the watermark at count. */
    public void messages(String conversationId, int count, String senderId, Instant start) {
        update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts)
                SELECT ?, s, 'm-' || s, 'c-' || s, ?, 'device', 'body ' || s, ? + s * interval '1 second'
                FROM generate_series(1, ?) s""", conversationId, senderId, start, count);
        update("UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE conversation_id = ?",
                (long) count, start.plusSeconds(count), conversationId);
    }

    /** An archived message above the watermark: projected, but the watermark has not moved yet. */
    public void messageAboveWatermark(String conversationId, long seq, String senderId, Instant ts) {
        update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts)
                VALUES (?, ?, ?, ?, ?, 'device', 'pending', ?)""", conversationId, seq, "m-" + seq, "c-" + seq,
                senderId, ts);
    }

    public void readSeq(String conversationId, String userId, long readSeq) {
        update("UPDATE conversation_members SET read_seq = ? WHERE conversation_id = ? AND user_id = ?",
                readSeq, conversationId, userId);
    }

    public void role(String conversationId, String userId, String role) {
        update("UPDATE conversation_members SET role = ? WHERE conversation_id = ? AND user_id = ?",
                role, conversationId, userId);
    }

    public void session(String sessionId, String userId, String deviceId) {
        update("""
                INSERT INTO sessions (session_id, user_id, device_id, node_id, incarnation, opened_at)
                VALUES (?, ?, ?, 'node-1', 'incarnation-1', ?)""", sessionId, userId, deviceId, Instant.now());
    }

    public void presence(String userId, boolean online, Instant lastSeen) {
        update("""
                INSERT INTO presence (user_id, online, last_seen) VALUES (?, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET online = excluded.online, last_seen = excluded.last_seen""",
                userId, online, lastSeen);
    }

    public void update(String sql, Object... parameters) {
        database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    if (parameters[i] instanceof Instant instant) {
                        Timestamps.set(statement, i + 1, instant);
                    } else {
                        statement.setObject(i + 1, parameters[i]);
                    }
                }
                return statement.executeUpdate();
            }
        });
    }
}
