package io.kchat.gateway.media;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * An upload's body, held to the length it announced: ending early is an error (a truncated upload must not become a
 * short object), and nothing past the length is read. {@link #truncated()} tells the uploader why a store call failed.
 */
final class ExactLengthInputStream extends FilterInputStream {

    private final long length;
    private long read;
    private volatile boolean truncated;

    ExactLengthInputStream(InputStream in, long length) {
        super(in);
        this.length = length;
    }

    @Override
    public int read() throws IOException {
        if (read >= length) {
            return -1;
        }
        int b = readBelow(() -> super.read());
        if (b < 0) {
            throw early();
        }
        read++;
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int count) throws IOException {
        if (read >= length) {
            return -1;
        }
        int n = readBelow(() -> super.read(buffer, offset, (int) Math.min(count, length - read)));
        if (n < 0) {
            throw early();
        }
        read += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an upload is read, not skipped");
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    private interface Read {
        int next() throws IOException;
    }

    /**
     * The web server reports a client that went away mid-body with its own unchecked exception
     * (Helidon: {@code DataReader.InsufficientDataAvailableException}): that, too, is a truncated upload.
     */
    private int readBelow(Read read) throws IOException {
        try {
            return read.next();
        } catch (IOException | RuntimeException e) {
            truncated = true;
            throw new IOException("upload broke off after " + this.read + " of " + length + " bytes", e);
        }
    }

    boolean truncated() {
        return truncated;
    }

    private IOException early() {
        truncated = true;
        return new IOException("upload ended after " + read + " of " + length + " bytes");
    }
}
