package io.kchat.gateway.media.content;

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
}
