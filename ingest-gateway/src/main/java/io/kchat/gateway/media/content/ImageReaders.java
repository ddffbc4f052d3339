package io.kchat.gateway.media.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
     * Whether the decoder holds this image whole, at full resolution, whatever the subsampling: WebP whose first chunk
     * is VP8L (lossless) or VP8X (extended: lossless frames or an alpha plane, both decoded by TwelveMonkeys' lossless
     * decoder at full size, 4 bytes a pixel); only plain lossy WebP ({@code VP8 }) subsamples as it decodes. Called on
     * a stream at its start, before any reader, and leaves it there. (Progressive JPEG is told by {@link JpegHeader}.)
     */
    static boolean webpDecodesWhole(ImageInputStream input) throws IOException {
        byte[] head = new byte[16];
        input.mark();
        try {
            input.readFully(head);
        } finally {
            input.reset();
        }
        return !new String(head, 12, 4, StandardCharsets.US_ASCII).equals("VP8 ");
    }
}
