package io.kchat.gateway.media.content;

import java.util.Set;

/** The content types media are stored and served with: the only values {@link ContentSniffer} ever answers. */
public final class ContentTypes {

    public static final String IMAGE_JPEG = "image/jpeg";
    public static final String IMAGE_PNG = "image/png";
    public static final String IMAGE_GIF = "image/gif";
    public static final String IMAGE_WEBP = "image/webp";
    public static final String AUDIO_OGG = "audio/ogg";
    public static final String AUDIO_WEBM = "audio/webm";
    public static final String AUDIO_MP4 = "audio/mp4";
    public static final String AUDIO_MPEG = "audio/mpeg";
    public static final String VIDEO_WEBM = "video/webm";
    public static final String VIDEO_MP4 = "video/mp4";
    public static final String PDF = "application/pdf";
    /**
     * Text is stored with its charset: the sniffer has checked the bytes are UTF-8, and a browser told so has nothing
     * left to guess.
     */
    public static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    /** The images a thumbnail can be made of, and the only ones {@link ImageProbe} reads. */
    public static final Set<String> IMAGES = Set.of(IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP);

    public static final Set<String> ALL = Set.of(IMAGE_JPEG, IMAGE_PNG, IMAGE_GIF, IMAGE_WEBP, AUDIO_OGG, AUDIO_WEBM,
            AUDIO_MP4, AUDIO_MPEG, VIDEO_WEBM, VIDEO_MP4, PDF, TEXT_PLAIN);

    private ContentTypes() {
    }

    public static boolean isImage(String contentType) {
        return IMAGES.contains(contentType);
    }

    public static boolean isAudio(String contentType) {
        return contentType.startsWith("audio/");
    }
}
