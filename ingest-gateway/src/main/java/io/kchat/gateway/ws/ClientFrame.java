package io.kchat.gateway.ws;

import io.kchat.gateway.messages.AttachmentRequest;
import io.kchat.gateway.messages.SealedContent;
import java.util.List;

/** A validated frame from a client; {@code ref} is the client's correlation string, or {@code null}. */
sealed interface ClientFrame {

    String ref();

    /** The frame's {@code type} on the wire. */
    default String type() {
        return switch (this) {
            case Auth ignored -> "auth";
            case Send ignored -> "send";
            case Edit ignored -> "edit";
            case Delete ignored -> "delete";
            case React ignored -> "react";
            case Ack ignored -> "ack";
            case Read ignored -> "read";
            case Typing ignored -> "typing";
            case Ping ignored -> "ping";
            case AssistantStop ignored -> "assistant_stop";
        };
    }

    /** A frame that writes something with the client's idempotency {@code id}: answered {@code ok} naming it. */
    sealed interface Identified extends ClientFrame {
        String id();

        String conversationId();
    }

    record Auth(String ref, String token) implements ClientFrame {
    }

    /**
     * {@code id} is the client's idempotency id for the message. Exactly one of {@code body} (a plain conversation)
     * and {@code ciphertext} (an end-to-end encrypted one) is set; {@code replyTo} is null unless it answers a message.
     * {@code attachments} as the client named them (empty for none; the body may then be empty).
     */
    record Send(String ref, String id, String conversationId, String body, SealedContent ciphertext, Long replyTo,
                List<AttachmentRequest> attachments) implements Identified {

        Send(String ref, String id, String conversationId, String body) {
            this(ref, id, conversationId, body, null, null);
        }

        Send(String ref, String id, String conversationId, String body, SealedContent ciphertext, Long replyTo) {
            this(ref, id, conversationId, body, ciphertext, replyTo, List.of());
        }
    }

    /** A new body for the message {@code seq} (or, in an encrypted conversation, a new ciphertext). */
    record Edit(String ref, String id, String conversationId, long seq, String body, SealedContent ciphertext)
            implements Identified {
    }

    /** Deletes the message {@code seq} for everyone. */
    record Delete(String ref, String id, String conversationId, long seq) implements Identified {
    }

    /** Adds (or with {@code remove}, takes back) the caller's reaction {@code key} to the message {@code seq}. */
    record React(String ref, String id, String conversationId, long seq, String key, boolean remove)
            implements Identified {
    }

    record Ack(String ref, long userSeq) implements ClientFrame {
    }

    record Read(String ref, String conversationId, long seq) implements ClientFrame {
    }

    record Typing(String ref, String conversationId, boolean active) implements ClientFrame {
    }

    record Ping(String ref) implements ClientFrame {
    }

    /** Asks the assistant to stop writing its answer to the message {@code replyTo} (D15). */
    record AssistantStop(String ref, String conversationId, long replyTo) implements ClientFrame {
    }
}
