package io.kchat.gateway.ws;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.json.Json;
import io.kchat.gateway.messages.AttachmentRequest;
import io.kchat.gateway.messages.AttachmentRequests;
import io.kchat.gateway.messages.CiphertextParser;
import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.SealedContent;
import io.kchat.gateway.messages.MessageLimits;
import io.kchat.gateway.messages.MessageService;
import java.util.List;

/** Decodes and validates client frames (docs/api.md, WebSocket); every refusal names the field at fault. */
final class ClientFrameParser {

    static final int MAX_ID_CHARS = MessageLimits.MAX_ID_CHARS;
    /** API: a reaction key is 1 to 32 characters (an emoji in practice). */
    static final int MAX_REACTION_KEY_CHARS = 32;

    private final ObjectMapper mapper = Json.mapper();
    private final int maxBodyChars;
    private final CiphertextParser ciphertexts;

    ClientFrameParser(int maxBodyChars, CiphertextParser ciphertexts) {
        this.maxBodyChars = maxBodyChars;
        this.ciphertexts = ciphertexts;
    }

    /** With the default bounds on ciphertexts. */
    ClientFrameParser(int maxBodyChars) {
        this(maxBodyChars, new CiphertextParser(EncryptionLimits.DEFAULT));
    }

    ClientFrame parse(String text) throws BadFrameException {
        JsonNode node = readObject(text);
        String ref = ref(node);
        String type = requiredText(node, "type", ref, Integer.MAX_VALUE);
        return switch (type) {
            case "auth" -> new ClientFrame.Auth(ref, requiredText(node, "token", ref, Integer.MAX_VALUE));
            case "send" -> send(node, ref);
            case "edit" -> edit(node, ref);
            case "delete" -> new ClientFrame.Delete(ref, requiredText(node, "id", ref, MAX_ID_CHARS),
                    requiredText(node, "conversationId", ref, MAX_ID_CHARS), requiredPosition(node, "seq", ref));
            case "react" -> new ClientFrame.React(ref, requiredText(node, "id", ref, MAX_ID_CHARS),
                    requiredText(node, "conversationId", ref, MAX_ID_CHARS), requiredPosition(node, "seq", ref),
                    requiredText(node, "key", ref, MAX_REACTION_KEY_CHARS), optionalBoolean(node, "remove", ref));
            case "ack" -> new ClientFrame.Ack(ref, requiredSequence(node, "userSeq", ref));
            case "read" -> new ClientFrame.Read(ref, requiredText(node, "conversationId", ref, MAX_ID_CHARS),
                    requiredSequence(node, "seq", ref));
            case "typing" -> new ClientFrame.Typing(ref, requiredText(node, "conversationId", ref, MAX_ID_CHARS),
                    requiredBoolean(node, "active", ref));
            case "ping" -> new ClientFrame.Ping(ref);
            case "assistant_stop" -> new ClientFrame.AssistantStop(ref,
                    requiredText(node, "conversationId", ref, MAX_ID_CHARS), requiredPosition(node, "replyTo", ref));
            default -> throw new BadFrameException(ref, "unknown frame type '" + abbreviate(type, 32) + "'");
        };
    }

    private ClientFrame.Send send(JsonNode node, String ref) throws BadFrameException {
        String id = requiredText(node, "id", ref, MAX_ID_CHARS);
        String conversationId = requiredText(node, "conversationId", ref, MAX_ID_CHARS);
        List<AttachmentRequest> attachments = attachments(node, ref);
        Content content = attachments.isEmpty() ? content(node, ref) : contentWithAttachments(node, ref);
        JsonNode replyTo = node.get("replyTo");
        return new ClientFrame.Send(ref, id, conversationId, content.body(), content.ciphertext(),
                replyTo == null || replyTo.isNull() ? null : requiredPosition(node, "replyTo", ref), attachments);
    }

    private ClientFrame.Edit edit(JsonNode node, String ref) throws BadFrameException {
        String id = requiredText(node, "id", ref, MAX_ID_CHARS);
        String conversationId = requiredText(node, "conversationId", ref, MAX_ID_CHARS);
        long seq = requiredPosition(node, "seq", ref);
        Content content = content(node, ref);
        return new ClientFrame.Edit(ref, id, conversationId, seq, content.body(), content.ciphertext());
    }

    private record Content(String body, SealedContent ciphertext) {
    }

    /** A body, or (in an end-to-end encrypted conversation) a ciphertext: never both. */
    private Content content(JsonNode node, String ref) throws BadFrameException {
        JsonNode ciphertext = node.get("ciphertext");
        if (ciphertext == null || ciphertext.isNull()) {
            return new Content(requiredText(node, "body", ref, maxBodyChars), null);
        }
        if (node.hasNonNull("body")) {
            throw new BadFrameException(ref, "a frame carries a body or a ciphertext, not both");
        }
        try {
            return new Content(null, ciphertexts.parse(ciphertext));
        } catch (Refusal refused) {
            throw new BadFrameException(ref, refused.detail());
        }
    }

    private static List<AttachmentRequest> attachments(JsonNode node, String ref) throws BadFrameException {
        try {
            return AttachmentRequests.parse(node.get("attachments"));
        } catch (Refusal refused) {
            throw new BadFrameException(ref, refused.detail());
        }
    }

    /**
     * A send with attachments: the body may be empty or absent (a photo needs no caption). A ciphertext cannot come
     * with them, since the server would hold the files in plaintext.
     */
    private Content contentWithAttachments(JsonNode node, String ref) throws BadFrameException {
        JsonNode ciphertext = node.get("ciphertext");
        if (ciphertext != null && !ciphertext.isNull()) {
            throw new BadFrameException(ref, MessageService.ENCRYPTED_ATTACHMENTS);
        }
        JsonNode body = node.get("body");
        if (body == null || body.isNull() || (body.isTextual() && body.asText().isEmpty())) {
            return new Content("", null);
        }
        return new Content(requiredText(node, "body", ref, maxBodyChars), null);
    }

    private JsonNode readObject(String text) throws BadFrameException {
        JsonNode node;
        try {
            node = mapper.readTree(text);
        } catch (StreamConstraintsException e) {
            // a read limit of Json (nesting, string, number, name or document length)
            throw new BadFrameException(null, "frame over a JSON limit: " + withoutApiHint(e.getOriginalMessage()));
        } catch (JsonProcessingException e) {
            // the parser's message quotes the input and positions: useful to a client, never a stack trace
            throw new BadFrameException(null, "malformed JSON: " + abbreviate(e.getOriginalMessage(), 200));
        }
        if (node == null || !node.isObject()) {
            throw new BadFrameException(null, "a frame must be a JSON object");
        }
        return node;
    }

    private static String ref(JsonNode node) throws BadFrameException {
        JsonNode ref = node.get("ref");
        if (ref == null || ref.isNull()) {
            return null;
        }
        if (!ref.isTextual()) {
            throw new BadFrameException(null, "ref must be a string");
        }
        return ref.asText();
    }

    private static String requiredText(JsonNode node, String field, String ref, int maxChars)
            throws BadFrameException {
        JsonNode value = node.get(field);
        String text = value == null || !value.isTextual() ? null : value.asText();
        String violation = MessageLimits.violation(text, field, maxChars);
        if (violation != null) {
            throw new BadFrameException(ref, violation);
        }
        return text;
    }

    private static long requiredSequence(JsonNode node, String field, String ref) throws BadFrameException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 0) {
            throw new BadFrameException(ref, field + " must be a non-negative integer");
        }
        return value.asLong();
    }

    /** A message's seq: 1 or more. */
    private static long requiredPosition(JsonNode node, String field, String ref) throws BadFrameException {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToLong() || value.asLong() < 1) {
            throw new BadFrameException(ref, field + " must be a positive integer (a message's seq)");
        }
        return value.asLong();
    }

    private static boolean optionalBoolean(JsonNode node, String field, String ref) throws BadFrameException {
        JsonNode value = node.get(field);
        return value != null && !value.isNull() && requiredBoolean(node, field, ref);
    }

    private static boolean requiredBoolean(JsonNode node, String field, String ref) throws BadFrameException {
        JsonNode value = node.get(field);
        if (value == null || !value.isBoolean()) {
            throw new BadFrameException(ref, field + " must be true or false");
        }
        return value.asBoolean();
    }

    /** Jackson names the setting to raise ("from `StreamReadConstraints...`"): of no use to a client. */
    private static String withoutApiHint(String message) {
        return abbreviate(message.replaceAll(", from `[^`]*`", ""), 200);
    }

    private static String abbreviate(String text, int maxChars) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "...";
    }
}
