package io.kchat.gateway.media.content;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The width and height of an image, read from its header only: no pixel is decoded, so a 20,000 × 20,000 PNG is
 * measured as fast as a 20 × 20 one. They are the displayed dimensions: a JPEG whose EXIF orientation turns it a
 * quarter (5 to 8, a phone held upright) has them swapped, as browsers show it and as its thumbnails are. Thread-safe.
 */
public final class ImageProbe {

    private static final Logger LOG = LoggerFactory.getLogger(ImageProbe.class);

    /**
     * @param in          the image from its first byte; read only as far as its header, and not closed
     * @param contentType the sniffed type ({@link ContentSniffer}); anything but an allowed image gives empty
     * @return the dimensions, or empty for a non-image or a header that cannot be read (truncated, corrupt)
     */
    public Optional<ImageSize> probe(InputStream in, String contentType) {
        if (!ContentTypes.isImage(contentType)) {
            return Optional.empty();
        }
        try (ImageInputStream input = new MemoryCacheImageInputStream(in)) {
            JpegHeader jpeg = contentType.equals(ContentTypes.IMAGE_JPEG) ? JpegHeader.read(input) : JpegHeader.PLAIN;
            Optional<ImageReader> opened = ImageReaders.open(contentType, input);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            ImageReader reader = opened.get();
            try {
                int width = jpeg.swapsSides() ? reader.getHeight(0) : reader.getWidth(0);
                int height = jpeg.swapsSides() ? reader.getWidth(0) : reader.getHeight(0);
                return width > 0 && height > 0 ? Optional.of(new ImageSize(width, height)) : Optional.empty();
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            // hostile or damaged input is expected here: not worth more than a debug line
            LOG.debug("no dimensions in this {}: {}", contentType, e.toString());
            return Optional.empty();
        }
    }

    /**
     * The same over bytes in hand, e.g. the head {@link ContentSniffer} saw. A JPEG whose EXIF or ICC segments fill
     * more than those bytes has its size beyond them: then this answers empty, and the whole stream would answer.
     */
    public Optional<ImageSize> probe(byte[] bytes, String contentType) {
        return probe(new ByteArrayInputStream(bytes), contentType);
    }
}
