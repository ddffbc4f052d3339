package io.kchat.gateway.messages;

import java.time.Instant;

/**
 * The message object of the API, everywhere: {@code id} is the client's idempotency id, {@code messageId}
 * the server's, {@code seq} its place in the conversation.
 *
 * <p>An end-to-end encrypted message has no {@code body} but {@code encrypted: true} and the envelope addressed to
 * the reading device, absent when the sender wrote none for it. On a plain message both are null, which the
 * gateway's JSON leaves out, so plain messages read exactly as they did before encryption existed.
 */
public record MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                          Instant ts, Boolean encrypted, EnvelopeView envelope) {

    public MessageView {
        if (encrypted != null && (!encrypted || body != null)) {
            throw new IllegalArgumentException("encrypted is true or absent, and an encrypted message has no body");
        }
        if (encrypted == null && envelope != null) {
            throw new IllegalArgumentException("only an encrypted message has an envelope");
        }
    }

    /** A plain message. */
    public MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                       Instant ts) {
        this(conversationId, seq, messageId, id, senderId, body, ts, null, null);
    }

    /** An encrypted message as one device reads it: {@code envelope} is that device's, or null. */
    public static MessageView encrypted(String conversationId, long seq, String messageId, String id, String senderId,
                                        Instant ts, EnvelopeView envelope) {
        return new MessageView(conversationId, seq, messageId, id, senderId, null, ts, true, envelope);
    }
}
