package io.kchat.gateway.ws;

import io.kchat.gateway.messages.SealedContent;

/** A validated frame from a client; {@code ref} is the client's correlation string, or {@code null}. */
sealed interface ClientFrame {

    String ref();

    /** The frame's {@code type} on the wire. */
    default String type() {
        return switch (this) {
            case Auth ignored -> "auth";
            case Send ignored -> "send";
            case Ack ignored -> "ack";
            case Read ignored -> "read";
            case Typing ignored -> "typing";
            case Ping ignored -> "ping";
        };
    }

    record Auth(String ref, String token) implements ClientFrame {
    }

    /**
     * {@code id} is the client's idempotency id for the message. Exactly one of {@code body} (a plain conversation)
     * and {@code ciphertext} (an end-to-end encrypted one) is set.
     */
    record Send(String ref, String id, String conversationId, String body, SealedContent ciphertext)
            implements ClientFrame {

        Send(String ref, String id, String conversationId, String body) {
            this(ref, id, conversationId, body, null);
        }
    }

    record Ack(String ref, long userSeq) implements ClientFrame {
    }

    record Read(String ref, String conversationId, long seq) implements ClientFrame {
    }

    record Typing(String ref, String conversationId, boolean active) implements ClientFrame {
    }

    record Ping(String ref) implements ClientFrame {
    }
}
