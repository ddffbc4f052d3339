package io.kchat.gateway.messages;

import io.kchat.events.Attachment;
import java.util.List;

/**
 * One attachment of a message as the API shows it (docs/api.md, "Media"): the bytes are at {@code GET
 * /v1/media/{mediaId}}. {@code name}, {@code width}, {@code height} and {@code durationMs} are null (absent) when they
 * do not apply; an audio attachment with {@code durationMs} is a voice note.
 */
public record AttachmentView(String mediaId, String contentType, long size, String name, Integer width,
                             Integer height, Long durationMs) {

    public static AttachmentView of(Attachment attachment) {
        return new AttachmentView(attachment.getMediaId(), attachment.getContentType(), attachment.getSize(),
                attachment.getName(), attachment.getWidth(), attachment.getHeight(), attachment.getDurationMs());
    }

    /** A message's attachments, or null (absent) when it has none, as for every optional member of a message. */
    public static List<AttachmentView> ofAll(List<Attachment> attachments) {
        return attachments == null || attachments.isEmpty() ? null
                : attachments.stream().map(AttachmentView::of).toList();
    }
}
