package io.kchat.gateway.media;

import io.kchat.gateway.errors.Refusal;
import java.io.InputStream;
import java.util.Optional;

/** What the upload path asks of the bytes themselves (implemented over {@code media.content}). */
public interface MediaInspection {

    /** How many leading bytes {@link #contentType} wants to see. */
    int headBytes();

    /**
     * The allowed content type of an upload starting with {@code head} (all of it when shorter than
     * {@link #headBytes()}), the client's {@code declared} header only choosing within what the bytes allow.
     *
     * @throws Refusal of kind UNSUPPORTED_TYPE for anything not allowed
     */
    String contentType(byte[] head, String declared);

    /** Width and height from an image's header, never decoding its pixels; empty when they cannot be read. */
    Optional<Dimensions> dimensions(InputStream image);

    record Dimensions(int width, int height) {
    }
}
