package io.kchat.delivery.archive;

import io.kchat.events.Ciphertext;
import io.kchat.events.Envelope;
import io.kchat.schemas.AvroBytes;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * An encrypted message's envelopes as {@code message_envelopes} rows, opaque bytes, one per recipient device: written
 * when the message is archived and again, in place of the old ones, when it is edited.
 */
final class Envelopes {

    /** An edit's envelopes, in place of those just removed. */
    static final String INSERT = """
            INSERT INTO message_envelopes (user_id, device_id, ciphertext, conversation_id, seq)
            VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (conversation_id, seq, user_id, device_id) DO NOTHING""";

    /**
     * A message's envelopes as sent, only while that is still its content: a replay of the message must not bring
     * back envelopes an edit replaced or a delete removed (and finds the others there already).
     */
    static final String INSERT_AS_SENT = """
            INSERT INTO message_envelopes (user_id, device_id, ciphertext, conversation_id, seq)
            SELECT ?, ?, ?, m.conversation_id, m.seq FROM messages m
             WHERE m.conversation_id = ? AND m.seq = ? AND NOT m.deleted AND m.edited_at IS NULL
            ON CONFLICT (conversation_id, seq, user_id, device_id) DO NOTHING""";

    private Envelopes() {
    }

    /** Adds the rows of {@code ciphertext} to the JDBC batch of {@code insert}: {@link #INSERT} or {@link #INSERT_AS_SENT}. */
    static void add(PreparedStatement insert, String conversationId, long seq, Ciphertext ciphertext)
            throws SQLException {
        for (Envelope envelope : ciphertext.getEnvelopes()) {
            insert.setString(1, envelope.getUserId());
            insert.setString(2, envelope.getDeviceId());
            insert.setBytes(3, AvroBytes.copy(envelope.getCiphertext()));
            insert.setString(4, conversationId);
            insert.setLong(5, seq);
            insert.addBatch();
        }
    }
}
