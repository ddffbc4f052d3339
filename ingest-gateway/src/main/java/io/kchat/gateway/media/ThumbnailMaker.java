package io.kchat.gateway.media;

import io.kchat.gateway.errors.Refusal;
import java.io.InputStream;
import java.util.function.Supplier;

/** Makes a thumbnail of a stored image (implemented over {@code media.content}); bounded in memory and in time. */
public interface ThumbnailMaker {

    /**
     * @param original opens the image's bytes; called at most once per attempt, the stream closed by the maker
     * @throws Refusal NOT_FOUND for an image that has none (too many pixels, unreadable), UNAVAILABLE when every
     *                 worker stayed busy
     */
    Thumbnail make(Supplier<InputStream> original, String contentType, ThumbnailSize size);

    /** An encoded thumbnail: JPEG, or PNG where the image has transparency. */
    record Thumbnail(byte[] bytes, String contentType) {
    }

    /** The two sizes of the API: the longer side fits in {@code box} pixels, never enlarged. */
    enum ThumbnailSize {
        SMALL(96), MEDIUM(320);

        private final int box;

        ThumbnailSize(int box) {
            this.box = box;
        }

        public int box() {
            return box;
        }

        public String wireName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** Null for a name that is no size. */
        public static ThumbnailSize named(String name) {
            for (ThumbnailSize size : values()) {
                if (size.wireName().equals(name)) {
                    return size;
                }
            }
            return null;
        }
    }
}
