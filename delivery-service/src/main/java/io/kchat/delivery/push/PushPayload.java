package io.kchat.delivery.push;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a push says (API.md): {@code {type:"message", conversationId, seq, senderId, unread}}, and with a preview
 * {@code senderName} and {@code body}. The client opens the conversation from it; it never needs the preview.
 *
 * @param senderName null without a preview
 * @param body       null without a preview
 */
record PushPayload(String conversationId, long seq, String senderId, long unread, String senderName, String body) {

    /** Longest preview body, in code points (API.md: "cut to 200 characters"). */
    static final int PREVIEW_CODE_POINTS = 200;
    private static final ObjectMapper JSON = new ObjectMapper();

    PushPayload withoutPreview() {
        return new PushPayload(conversationId, seq, senderId, unread, null, null);
    }

    boolean hasPreview() {
        return body != null;
    }

    /** The fields in the order API.md lists them. */
    Map<String, Object> fields() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("type", "message");
        fields.put("conversationId", conversationId);
        fields.put("seq", seq);
        fields.put("senderId", senderId);
        fields.put("unread", unread);
        if (hasPreview()) {
            fields.put("senderName", senderName);
            fields.put("body", body);
        }
        return fields;
    }

    /** The Web Push message: the JSON object, UTF-8. */
    byte[] toJson() {
        return write(fields());
    }

    /**
     * The push gateway's request (the Matrix push-gateway shape): {@code {notification: {devices: [{app_id,
     * pushkey}], ...fields}}}.
     */
    byte[] toGatewayJson(String appId, String pushKey) {
        Map<String, Object> notification = new LinkedHashMap<>(fields());
        notification.put("devices", List.of(Map.of("app_id", appId, "pushkey", pushKey)));
        return write(Map.of("notification", notification));
    }

    /** {@code body} cut to {@link #PREVIEW_CODE_POINTS} code points, never inside a surrogate pair. */
    static String cut(String body) {
        if (body.codePointCount(0, body.length()) <= PREVIEW_CODE_POINTS) {
            return body;
        }
        return body.substring(0, body.offsetByCodePoints(0, PREVIEW_CODE_POINTS));
    }

    private static byte[] write(Object value) {
        try {
            return JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings and numbers is always JSON", e);
        }
    }
}
