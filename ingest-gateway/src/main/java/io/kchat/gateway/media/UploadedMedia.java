package io.kchat.gateway.media;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The answer to an upload (201): what the server made of the bytes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record UploadedMedia(String mediaId, String contentType, long size, String sha256, Integer width,
                            Integer height) {
}
