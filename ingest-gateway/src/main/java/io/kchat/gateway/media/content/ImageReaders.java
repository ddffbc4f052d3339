package io.kchat.gateway.media.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * The ImageIO reader of one allowed image type, chosen by the sniffed content type rather than by letting every
 * installed plugin guess at the bytes: only the four decoders we allow ever see an upload.
 */
final class ImageReaders {

    private ImageReaders() {
    }

    /**
     * A fresh reader over {@code input}, told to skip metadata (text chunks, comments, EXIF: nothing a thumbnail
     * needs, and a PNG's compressed text is a decompression bomb of its own) and to read forwards only. The caller
     * disposes of it.
     */
    static Optional<ImageReader> open(String contentType, ImageInputStream input) {
        if (!ContentTypes.isImage(contentType)) {
            return Optional.empty();
        }
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(contentType);
        if (!readers.hasNext()) {
            return Optional.empty();
        }
        ImageReader reader = readers.next();
        reader.setInput(input, true, true);
        return Optional.of(reader);
    }

    /**
     * Whether the decoder of this image holds it whole, whatever the subsampling: WebP whose first chunk is VP8L
     * (lossless) or VP8X (extended: possibly lossless frames or an alpha plane, both decoded by the lossless decoder
     * at full size). Only plain lossy WebP ({@code VP8 }) subsamples as it decodes. Called on a stream at its
     * start, before any reader, and leaves it there.
     */
    static boolean decodesWhole(String contentType, ImageInputStream input) throws IOException {
        if (!contentType.equals(ContentTypes.IMAGE_WEBP)) {
            return false;
        }
        byte[] head = new byte[16];
        input.mark();
        try {
            input.readFully(head);
        } finally {
            input.reset();
        }
        return !Arrays.equals(head, 12, 16, "VP8 ".getBytes(StandardCharsets.US_ASCII), 0, 4);
    }
}
