package io.kchat.gateway.ws;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.messages.DeviceRef;
import io.kchat.gateway.messages.AttachmentView;
import io.kchat.gateway.messages.EnvelopeView;
import java.time.Instant;
import java.util.List;

/**
 * The frames the server sends (docs/api.md, WebSocket). Absent optional fields are {@code null} and left off the
 * wire by the gateway's JSON configuration.
 */
@JsonPropertyOrder({"type", "ref"})
sealed interface ServerFrame {

    @JsonProperty("type")
    String type();

    record Ready(String userId, String deviceId, String sessionId, long ackedUserSeq) implements ServerFrame {
        @Override
        public String type() {
            return "ready";
        }
    }

    record Synced(long userSeq) implements ServerFrame {
        @Override
        public String type() {
            return "synced";
        }
    }

    record Gap(long oldestUserSeq) implements ServerFrame {
        @Override
        public String type() {
            return "gap";
        }
    }

    record Ok(String ref, String id) implements ServerFrame {
        @Override
        public String type() {
            return "ok";
        }
    }

    /**
     * {@code userSeq} and {@code conversationId} are set only for a send refused by the processor;
     * {@code missingDevices} and {@code extraDevices} only for an encrypted send whose envelopes do not match the
     * members' devices ({@code conflict}).
     */
    record Error(String ref, Long userSeq, String id, String conversationId, String code, String message,
                 List<DeviceRef> missingDevices, List<DeviceRef> extraDevices) implements ServerFrame {

        Error(String ref, Long userSeq, String id, String conversationId, String code, String message) {
            this(ref, userSeq, id, conversationId, code, message, null, null);
        }

        static Error of(String ref, String id, ErrorCode code, String message) {
            return new Error(ref, null, id, null, code.wire(), message);
        }

        /** A feature's refusal of a frame; the devices of a mismatched ciphertext travel with it. */
        @SuppressWarnings("unchecked")
        static Error of(String ref, String id, Refusal refusal) {
            ErrorCode code = switch (refusal.kind()) {
                case INVALID, TOO_LARGE, UNSUPPORTED_TYPE -> ErrorCode.BAD_REQUEST;
                case NOT_FOUND -> ErrorCode.NOT_FOUND;
                case FORBIDDEN, UNAUTHENTICATED -> ErrorCode.FORBIDDEN;
                case CONFLICT -> ErrorCode.CONFLICT;
                case RATE_LIMITED -> ErrorCode.RATE_LIMITED;
                case UNAVAILABLE -> ErrorCode.INTERNAL;
            };
            String message = refusal.detail() == null ? refusal.title() : refusal.detail();
            return new Error(ref, null, id, null, code.wire(), message,
                    (List<DeviceRef>) refusal.extensions().get("missingDevices"),
                    (List<DeviceRef>) refusal.extensions().get("extraDevices"));
        }

        @Override
        public String type() {
            return "error";
        }
    }

    record Pong(String ref) implements ServerFrame {
        @Override
        public String type() {
            return "pong";
        }
    }

    /**
     * A message object (docs/api.md) with its position in the user's stream; {@code id} is the client's id. An
     * encrypted message has no {@code body} but {@code encrypted: true} and the reading device's own
     * {@code envelope}, when the sender wrote one for it; both are null (absent) for a plain message. {@code
     * attachments} is null (absent) when the message has none; {@code failed} is true for an assistant's answer
     * saying the model failed (D15), else null (absent).
     */
    record Message(long userSeq, String conversationId, long seq, String messageId, String id, String senderId,
                   String body, Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo,
                   List<AttachmentView> attachments, Boolean failed) implements ServerFrame {

        Message(long userSeq, String conversationId, long seq, String messageId, String id, String senderId,
                String body, Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo,
                List<AttachmentView> attachments) {
            this(userSeq, conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo,
                    attachments, null);
        }

        Message(long userSeq, String conversationId, long seq, String messageId, String id, String senderId,
                String body, Instant ts, Boolean encrypted, EnvelopeView envelope, Long replyTo) {
            this(userSeq, conversationId, seq, messageId, id, senderId, body, ts, encrypted, envelope, replyTo, null);
        }

        static Message plain(long userSeq, String conversationId, long seq, String messageId, String id,
                             String senderId, String body, Instant ts, Long replyTo) {
            return new Message(userSeq, conversationId, seq, messageId, id, senderId, body, ts, null, null, replyTo);
        }

        @Override
        public String type() {
            return "message";
        }
    }

    /**
     * An edit, delete or reaction of the message {@code seq} (durable, no seq of its own). {@code kind} is
     * {@code edit}, {@code delete} or {@code reaction}; an edit has {@code body}, or in an encrypted conversation
     * {@code ciphertext}: this device's own envelope, shaped as a message's {@code envelope}; a reaction has
     * {@code key} and {@code remove}.
     */
    record MessageUpdate(long userSeq, String conversationId, long seq, String kind, String userId, String body,
                         EnvelopeView ciphertext, String key, Boolean remove, Instant ts) implements ServerFrame {
        @Override
        public String type() {
            return "message_update";
        }
    }

    record Conversation(long userSeq, String event, ConversationView conversation) implements ServerFrame {
        @Override
        public String type() {
            return "conversation";
        }
    }

    /** {@code kind} is {@code delivered} or {@code read}: {@code userId} has it up to {@code seq}. */
    record Receipt(long userSeq, String conversationId, String userId, String kind, long seq) implements ServerFrame {
        @Override
        public String type() {
            return "receipt";
        }
    }

    /**
     * A change to the user's contacts or requests: {@code event} is {@code request}, {@code accepted}, {@code declined},
     * {@code removed}, or (to the blocker alone) {@code blocked} or {@code unblocked}; {@code request} and {@code contact}
     * as the REST API shows them, where the event has one.
     */
    record Contact(long userSeq, String event, RequestView request, ContactView contact) implements ServerFrame {
        @Override
        public String type() {
            return "contact";
        }
    }

    /** The device set or the keys of {@code userId} (a contact, a co-member, or the user) changed: fetch them again. */
    record Keys(long userSeq, String userId) implements ServerFrame {
        @Override
        public String type() {
            return "keys";
        }
    }

    /**
     * The user's own settings of a conversation changed (from any of their devices): the whole new state. A
     * {@code mutedUntil} already past when the frame is read means not muted (a replayed frame may be old).
     */
    record Settings(long userSeq, String conversationId, SettingsView settings) implements ServerFrame {
        @Override
        public String type() {
            return "settings";
        }
    }

    /** Ephemeral: no userSeq. */
    record Typing(String conversationId, String userId, boolean active) implements ServerFrame {
        @Override
        public String type() {
            return "typing";
        }
    }

    /** Ephemeral: no userSeq; {@code lastSeen} is when the user went on- or offline. */
    record Presence(String userId, boolean online, Instant lastSeen) implements ServerFrame {
        @Override
        public String type() {
            return "presence";
        }
    }

    /**
     * Ephemeral: no userSeq. The next part ({@code delta}) of the assistant's answer to the message {@code replyTo},
     * starting at {@code offset} UTF-16 code units into the answer; {@code done} (with an empty delta) ends it.
     */
    record AssistantStream(String conversationId, long replyTo, int offset, String delta, boolean done)
            implements ServerFrame {
        @Override
        public String type() {
            return "assistant_stream";
        }
    }

    /** {@code avatarMediaId}: a group's avatar (absent when none). */
    record ConversationView(String conversationId, String type, String title, List<MemberView> members,
                            boolean encrypted, String avatarMediaId) {
    }

    record RequestView(String requestId, String fromUserId, String toUserId, String message, String state,
                       Instant ts) {
    }

    record ContactView(String userId, String username, String displayName, Instant since) {
    }

    /** As {@code GET /v1/conversations/{id}/settings} shows them; {@code mutedUntil} absent when none. */
    record SettingsView(boolean muted, Instant mutedUntil, boolean pinned, boolean archived) {
    }

    record MemberView(String userId, String role) {
    }
}
