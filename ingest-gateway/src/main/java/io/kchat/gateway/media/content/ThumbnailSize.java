package io.kchat.gateway.media.content;

import java.util.Locale;
import java.util.Optional;

/** The boxes a thumbnail fits in (API: {@code ?size=small|medium}). */
public enum ThumbnailSize {
    SMALL(96),
    MEDIUM(320);

    private final int box;

    ThumbnailSize(int box) {
        this.box = box;
    }

    /** The longest side a thumbnail of this size may have, in pixels. */
    public int box() {
        return box;
    }

    /** {@code "small"} or {@code "medium"}, as the query parameter spells them. */
    public String parameter() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<ThumbnailSize> fromParameter(String value) {
        for (ThumbnailSize size : values()) {
            if (size.parameter().equals(value)) {
                return Optional.of(size);
            }
        }
        return Optional.empty();
    }
}
