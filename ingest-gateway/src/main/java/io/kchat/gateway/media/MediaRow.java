package io.kchat.gateway.media;

import io.kchat.gateway.media.content.ContentTypes;

/** A complete upload as PostgreSQL keeps it: what the bytes are, whose, and how big. */
public record MediaRow(String mediaId, String ownerId, String contentType, long size, String sha256, String name,
                       Integer width, Integer height) {

    public boolean isImage() {
        return ContentTypes.isImage(contentType);
    }
}
