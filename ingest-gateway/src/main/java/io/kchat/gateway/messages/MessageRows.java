package io.kchat.gateway.messages;

import io.kchat.gateway.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads an archived message, as one device sees it, from a row whose columns are those of {@code messages} under a
 * common prefix, plus {@code <prefix>ciphertext}: the reading device's {@code message_envelopes} row, left-joined
 * (null when the sender wrote none for it). The body of an encrypted message is not even read.
 */
public final class MessageRows {

    private MessageRows() {
    }

    public static MessageView view(ResultSet rows, String prefix, String conversationId, long seq)
            throws SQLException {
        String messageId = rows.getString(prefix + "message_id");
        String clientId = rows.getString(prefix + "client_id");
        String senderId = rows.getString(prefix + "sender_id");
        if (!rows.getBoolean(prefix + "encrypted")) {
            return new MessageView(conversationId, seq, messageId, clientId, senderId, rows.getString(prefix + "body"),
                    Timestamps.get(rows, prefix + "ts"));
        }
        byte[] ciphertext = rows.getBytes(prefix + "ciphertext");
        EnvelopeView envelope = ciphertext == null ? null : EnvelopeView.of(rows.getString(prefix + "sender_device_id"),
                rows.getString(prefix + "algorithm"), ciphertext);
        return MessageView.encrypted(conversationId, seq, messageId, clientId, senderId,
                Timestamps.get(rows, prefix + "ts"), envelope);
    }
}
