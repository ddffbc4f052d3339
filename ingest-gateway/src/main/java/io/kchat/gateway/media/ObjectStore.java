package io.kchat.gateway.media;

import java.io.InputStream;
import java.util.Optional;

/**
 * Where the bytes of media live (D14): an S3-compatible bucket in every deployment ({@link S3ObjectStore}). Keys are
 * the gateway's own ({@link MediaKeys}), never a client's words.
 */
public interface ObjectStore {

    /**
     * Stores exactly {@code length} bytes read from {@code content} under {@code key}, streaming: nothing is held
     * whole in memory. A stream that ends early or fails leaves no object behind (S3 writes an object only whole).
     */
    void put(String key, String contentType, InputStream content, long length);

    /** The object, or the part {@code range} selects of it; empty when there is none. The caller closes it. */
    Optional<StoredObject> get(String key, Optional<ByteRange> range);

    /** Deletes the object if it exists. */
    void delete(String key);

    /** An object being read: its bytes (exactly {@code length} of them), its whole size and its stored type. */
    record StoredObject(InputStream content, long length, long totalSize, String contentType)
            implements AutoCloseable {
        @Override
        public void close() {
            try {
                content.close();
            } catch (java.io.IOException e) {
                // the download already ended; an unclean close only costs the store a connection
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
