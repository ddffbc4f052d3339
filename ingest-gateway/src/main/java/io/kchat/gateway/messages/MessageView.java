package io.kchat.gateway.messages;

import java.time.Instant;
import java.util.List;

/**
 * The message object of the API, everywhere: {@code id} is the client's idempotency id, {@code messageId}
 * the server's, {@code seq} its place in the conversation.
 *
 * <p>An end-to-end encrypted message has no {@code body} but {@code encrypted: true} and the envelope addressed to
 * the reading device, absent when the sender wrote none for it. Served from the archive's current state (D13), it
 * also says which message it answers ({@code replyTo}), when it was last edited ({@code editedAt}), whether it is
 * {@code deleted} (then without content: no body, envelope, attachments or reactions), its {@code reactions} (most used
 * first), its {@code attachments} (in the send's order) and whether it is an assistant's answer saying the model
 * {@code failed} (D15).
 * Every one of these is null when it does not apply, which the gateway's JSON leaves out, so a plain message without
 * them reads exactly as it did before they existed.
 */
public record MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                          Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo, Instant editedAt,
                          Boolean deleted, List<ReactionView> reactions, List<AttachmentView> attachments,
                          Boolean failed) {

    public MessageView {
        if (encrypted != null && (!encrypted || body != null)) {
            throw new IllegalArgumentException("encrypted is true or absent, and an encrypted message has no body");
        }
        if (encrypted == null && envelope != null) {
            throw new IllegalArgumentException("only an encrypted message has an envelope");
        }
        if (deleted != null && (!deleted || body != null || envelope != null || editedAt != null || reactions != null
                || attachments != null)) {
            throw new IllegalArgumentException("deleted is true or absent, and a deleted message has no content");
        }
        if (reactions != null && reactions.isEmpty()) {
            throw new IllegalArgumentException("reactions are absent when there are none");
        }
        if (attachments != null && attachments.isEmpty()) {
            throw new IllegalArgumentException("attachments are absent when there are none");
        }
        if (failed != null && (!failed || deleted != null)) {
            throw new IllegalArgumentException("failed is true or absent, and absent from a deleted message");
        }
        reactions = reactions == null ? null : List.copyOf(reactions);
        attachments = attachments == null ? null : List.copyOf(attachments);
    }

    /** Not a failed answer. */
    public MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                       Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo, Instant editedAt,
                       Boolean deleted, List<ReactionView> reactions, List<AttachmentView> attachments) {
        this(conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo, editedAt, deleted,
                reactions, attachments, null);
    }

    /** Without attachments. */
    public MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                       Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo, Instant editedAt,
                       Boolean deleted, List<ReactionView> reactions) {
        this(conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo, editedAt, deleted,
                reactions, null);
    }

    /** A plain message as it was sent. */
    public MessageView(String conversationId, long seq, String messageId, String id, String senderId, String body,
                       Instant ts) {
        this(conversationId, seq, messageId, id, senderId, body, ts, null, null, null, null, null, null);
    }

    /** An encrypted message as one device reads it: {@code envelope} is that device's, or null. */
    public static MessageView encrypted(String conversationId, long seq, String messageId, String id, String senderId,
                                        Instant ts, EnvelopeView envelope) {
        return new MessageView(conversationId, seq, messageId, id, senderId, null, ts, true, envelope, null, null, null,
                null);
    }

    /** The same message with these reactions, none when the list is empty. */
    public MessageView withReactions(List<ReactionView> newReactions) {
        return new MessageView(conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo,
                editedAt, deleted, newReactions.isEmpty() ? null : newReactions, attachments, failed);
    }

    /** The same message with these attachments, none when the list is empty. */
    public MessageView withAttachments(List<AttachmentView> newAttachments) {
        return new MessageView(conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo,
                editedAt, deleted, reactions, newAttachments.isEmpty() ? null : newAttachments, failed);
    }

    /** The same message marked as a failed answer, or not. */
    public MessageView withFailed(boolean value) {
        return new MessageView(conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo,
                editedAt, deleted, reactions, attachments, value ? Boolean.TRUE : null);
    }
}
