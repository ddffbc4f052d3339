package io.kchat.gateway.messages;

import io.kchat.gateway.errors.Refusal;
import io.kchat.settings.Setting;

/**
 * What a send must look like, on the HTTP path as on the WebSocket {@code send} frame: a non-empty
 * {@code id} of at most {@link #MAX_ID_CHARS} code points and a non-empty {@code body} of at most the
 * configured number of code points ({@link #MAX_BODY_CHARS}, one limit for both paths). Emptiness, the NUL character and unpaired surrogates are refused (PostgreSQL text cannot store NUL,
 * so the archive would have to skip the message); whitespace is content.
 */
public final class MessageLimits {

    /** Longest client idempotency id, the same as the WebSocket parser's limit for ids. */
    public static final int MAX_ID_CHARS = 128;
    public static final int DEFAULT_MAX_BODY_CHARS = 16 * 1024;
    /** Named for the WebSocket in the first releases, though it always bounded the HTTP send path too. */
    public static final Setting<Integer> MAX_BODY_CHARS = Setting.integer("MAX_MESSAGE_CHARS", DEFAULT_MAX_BODY_CHARS,
            "longest message body, in code points, on the WebSocket and the HTTP send path alike")
            .formerly("WS_MAX_BODY_CHARS");

    private MessageLimits() {
    }

    /** @throws Refusal 400 naming the field */
    public static String requireId(String id) {
        return requireText(id, "id", MAX_ID_CHARS);
    }

    /** @throws Refusal 400 naming the field */
    public static String requireBody(String body, int maxChars) {
        return requireText(body, "body", maxChars);
    }

    private static String requireText(String text, String field, int maxChars) {
        String violation = violation(text, field, maxChars);
        if (violation != null) {
            throw Refusal.invalid("invalid " + field, violation);
        }
        return text;
    }

    /**
     * The one rule for client text fields, shared with the WebSocket parser: null when {@code text} is
     * acceptable, otherwise what is wrong with it, naming {@code field}.
     */
    public static String violation(String text, String field, int maxChars) {
        if (text == null || text.isEmpty()) {
            return field + " must be a non-empty string";
        }
        if (text.length() > maxChars && text.codePointCount(0, text.length()) > maxChars) {
            return field + " must be at most " + maxChars + " characters";
        }
        if (text.indexOf('\u0000') >= 0) {
            return field + " must not contain the NUL character";
        }
        if (!wellFormed(text)) {
            // JSON may escape half a surrogate pair; UTF-8 (Avro, PostgreSQL) cannot carry it and would alter the text
            return field + " must be valid Unicode (no unpaired surrogate)";
        }
        return null;
    }

    private static boolean wellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
