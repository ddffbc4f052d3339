package io.kchat.gateway.media.content;

/**
 * An encoded thumbnail: JPEG for opaque images, PNG when some pixel is transparent.
 *
 * @param bytes       the encoded image (the array is the caller's from here on; records compare it by identity)
 * @param contentType {@link ContentTypes#IMAGE_JPEG} or {@link ContentTypes#IMAGE_PNG}
 */
public record Thumbnail(byte[] bytes, String contentType, int width, int height) {
}
