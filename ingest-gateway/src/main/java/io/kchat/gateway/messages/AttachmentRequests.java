package io.kchat.gateway.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.media.FileNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The shape of a send's {@code attachments}, on both send paths: at most {@link #MAX_ATTACHMENTS}, each naming a
 * different {@code mediaId}, with an optional file name and duration. Checked before anything is read from the
 * database; whether the media are the sender's and complete is {@link AttachmentCheck}'s part. A client's
 * {@code contentType}, {@code size}, {@code width} or {@code height} are ignored: the server fills them in from the
 * upload.
 */
public final class AttachmentRequests {

    public static final int MAX_ATTACHMENTS = 10;
    /** A voice note of a day is already far beyond any real one; the bound keeps a client's number sane. */
    public static final long MAX_DURATION_MS = Duration.ofHours(24).toMillis();

    private AttachmentRequests() {
    }

    /**
     * @param attachments the request's {@code attachments} member, or null when absent
     * @return the attachments in the send's order, empty when none
     * @throws Refusal 400 naming the member at fault
     */
    public static List<AttachmentRequest> parse(JsonNode attachments) {
        if (attachments == null || attachments.isNull()) {
            return List.of();
        }
        if (!attachments.isArray()) {
            throw invalid("attachments must be an array");
        }
        if (attachments.size() > MAX_ATTACHMENTS) {
            throw invalid("a message carries at most " + MAX_ATTACHMENTS + " attachments");
        }
        List<AttachmentRequest> parsed = new ArrayList<>(attachments.size());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < attachments.size(); i++) {
            AttachmentRequest one = one(attachments.get(i), "attachments[" + i + "]");
            if (!seen.add(one.mediaId())) {
                throw invalid("attachments[" + i + "].mediaId is attached twice");
            }
            parsed.add(one);
        }
        return List.copyOf(parsed);
    }

    private static AttachmentRequest one(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw invalid(field + " must be an object");
        }
        JsonNode mediaId = node.get("mediaId");
        String id = mediaId == null || !mediaId.isTextual() ? null : mediaId.asText();
        String violation = MessageLimits.violation(id, field + ".mediaId", MessageLimits.MAX_ID_CHARS);
        if (violation != null) {
            throw invalid(violation);
        }
        return new AttachmentRequest(id, name(node.get("name"), field), durationMs(node.get("durationMs"), field));
    }

    private static String name(JsonNode name, String field) {
        if (name == null || name.isNull()) {
            return null;
        }
        if (!name.isTextual()) {
            throw invalid(field + ".name must be a string");
        }
        return FileNames.sanitise(name.asText());
    }

    private static Long durationMs(JsonNode duration, String field) {
        if (duration == null || duration.isNull()) {
            return null;
        }
        if (!duration.isIntegralNumber() || !duration.canConvertToLong() || duration.asLong() < 1
                || duration.asLong() > MAX_DURATION_MS) {
            throw invalid(field + ".durationMs must be an integer from 1 to " + MAX_DURATION_MS + " (24 hours)");
        }
        return duration.asLong();
    }

    private static Refusal invalid(String detail) {
        return Refusal.invalid("invalid attachments", detail);
    }
}
