package io.kchat.gateway.media;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Media ids and the object keys made of them. An id is 128 random bits, so holding one proves nothing: every read is
 * authorized again (D14). Client input (a file name) never becomes a key: a path param that is no well-formed id is refused before
 * it gets near the store.
 */
public final class MediaKeys {

    private static final Pattern ID = Pattern.compile("m_[A-Za-z0-9_-]{22}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private MediaKeys() {
    }

    public static String newId() {
        byte[] bits = new byte[16];
        RANDOM.nextBytes(bits);
        return "m_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bits);
    }

    public static boolean isWellFormed(String id) {
        return id != null && ID.matcher(id).matches();
    }

    public static String original(String mediaId) {
        return "media/" + mediaId;
    }

    public static String thumbnail(String mediaId, String size) {
        return "thumbnails/" + mediaId + "/" + size;
    }

    /** An empty marker: this image has no thumbnail (too many pixels, damaged), so it is never decoded again. */
    public static String noThumbnail(String mediaId) {
        return "thumbnails/" + mediaId + "/none";
    }
}
