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
     * Whether the decoder holds this image whole, at full resolution, whatever the subsampling:
     * <ul>
     *   <li>WebP whose first chunk is VP8L (lossless) or VP8X (extended: lossless frames or an alpha plane, both
     *       decoded by TwelveMonkeys' lossless decoder at full size, 4 bytes a pixel); only plain lossy WebP
     *       ({@code VP8 }) subsamples as it decodes;</li>
     *   <li>progressive JPEG, whose decoder (libjpeg, native memory) buffers every coefficient, 2 to 6 bytes a
     *       pixel.</li>
     * </ul>
     * Called on a stream at its start, before any reader, and leaves it there.
     */
    static boolean decodesWhole(String contentType, ImageInputStream input) throws IOException {
        input.mark();
        try {
            return switch (contentType) {
                case ContentTypes.IMAGE_WEBP -> !webpChunk(input).equals("VP8 ");
                case ContentTypes.IMAGE_JPEG -> progressiveJpeg(input);
                default -> false;
            };
        } finally {
            input.reset();
        }
    }

    private static String webpChunk(ImageInputStream input) throws IOException {
        byte[] head = new byte[16];
        input.readFully(head);
        return new String(head, 12, 4, StandardCharsets.US_ASCII);
    }

    /**
     * Walks the JPEG segments up to the frame header: SOF2, SOF6, SOF10 and SOF14 are progressive. Each step
     * consumes at least two bytes of a finite stream; anything odd answers false and is left to the decoder.
     */
    private static boolean progressiveJpeg(ImageInputStream input) throws IOException {
        if (input.readUnsignedShort() != 0xFFD8) {
            return false;
        }
        while (true) {
            if (input.read() != 0xFF) {
                return false;
            }
            int marker = input.read();
            while (marker == 0xFF) {
                marker = input.read(); // fill bytes
            }
            if (marker < 0 || marker == 0xDA || marker == 0xD9) {
                return false;
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue; // segments without a length
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                return marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
            }
            int length = input.readUnsignedShort();
            if (length < 2) {
                return false;
            }
            input.skipBytes(length - 2L);
        }
    }
}
