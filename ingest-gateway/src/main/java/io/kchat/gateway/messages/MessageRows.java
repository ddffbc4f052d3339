package io.kchat.gateway.messages;

import static java.util.stream.Collectors.joining;

import io.kchat.gateway.db.Timestamps;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Reads an archived message in its current state, as one device sees it, from a row whose columns are those of
 * {@link #columns} under a common prefix, plus {@code <prefix>ciphertext}: the reading device's {@code
 * message_envelopes} row, left-joined (null when the sender wrote none for it). The body of an encrypted message is not
 * even read, nor anything but the place and author of a deleted one (nor whether it was a failed answer). Reactions
 * are another table's: see {@link Reactions}.
 */
public final class MessageRows {

    private static final List<String> COLUMNS = List.of("message_id", "client_id", "sender_id", "body", "ts",
            "encrypted", "sender_device_id", "algorithm", "reply_to", "edited_at", "deleted", "edit_device_id",
            "failed");

    private MessageRows() {
    }

    /** The select list {@link #view} needs: the {@code messages} columns of the row {@code alias}, named with {@code prefix}. */
    public static String columns(String alias, String prefix) {
        return COLUMNS.stream().map(column -> alias + "." + column + " AS " + prefix + column).collect(joining(", "));
    }

    public static MessageView view(ResultSet rows, String prefix, String conversationId, long seq)
            throws SQLException {
        String messageId = rows.getString(prefix + "message_id");
        String clientId = rows.getString(prefix + "client_id");
        String senderId = rows.getString(prefix + "sender_id");
        Instant ts = Timestamps.get(rows, prefix + "ts");
        Boolean encrypted = rows.getBoolean(prefix + "encrypted") ? Boolean.TRUE : null;
        Long replyTo = rows.getObject(prefix + "reply_to", Long.class);
        if (rows.getBoolean(prefix + "deleted")) {
            return new MessageView(conversationId, seq, messageId, clientId, senderId, null, ts, encrypted, null,
                    replyTo, null, true, null);
        }
        Instant editedAt = Timestamps.get(rows, prefix + "edited_at");
        if (encrypted == null) {
            return new MessageView(conversationId, seq, messageId, clientId, senderId, rows.getString(prefix + "body"),
                    ts, null, null, replyTo, editedAt, null, null).withFailed(rows.getBoolean(prefix + "failed"));
        }
        return new MessageView(conversationId, seq, messageId, clientId, senderId, null, ts, true,
                envelope(rows, prefix), replyTo, editedAt, null, null);
    }

    /** The device's envelope, from the device that wrote the current content: the sender's, or an edit's. */
    private static EnvelopeView envelope(ResultSet rows, String prefix) throws SQLException {
        byte[] ciphertext = rows.getBytes(prefix + "ciphertext");
        if (ciphertext == null) {
            return null;
        }
        String editDevice = rows.getString(prefix + "edit_device_id");
        return EnvelopeView.of(editDevice != null ? editDevice : rows.getString(prefix + "sender_device_id"),
                rows.getString(prefix + "algorithm"), ciphertext);
    }
}
