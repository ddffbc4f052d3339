package io.kchat.gateway.media;

/** The bytes {@code first} to {@code last} (both included) of an object, as resolved against its size. */
public record ByteRange(long first, long last) {

    public ByteRange {
        if (first < 0 || last < first) {
            throw new IllegalArgumentException("not a byte range: " + first + "-" + last);
        }
    }

    public long length() {
        return last - first + 1;
    }

    /** The {@code Range} header value asking a store for these bytes. */
    public String header() {
        return "bytes=" + first + "-" + last;
    }

    /** The {@code Content-Range} of a 206 answer carrying these bytes of an object of {@code size}. */
    public String contentRange(long size) {
        return "bytes " + first + "-" + last + "/" + size;
    }
}
