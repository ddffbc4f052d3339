package io.kchat.gateway.media.content;

import java.io.IOException;
import java.io.InputStream;

/**
 * Opens the stored image, e.g. a GET from the object store. {@link Thumbnailer} opens it only once a decode slot is
 * free, so a request waiting its turn holds no connection.
 */
@FunctionalInterface
public interface InputStreamSource {

    /** A new stream from the first byte; the caller closes it. */
    InputStream open() throws IOException;
}
