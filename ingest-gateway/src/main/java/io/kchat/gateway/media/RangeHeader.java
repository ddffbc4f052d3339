package io.kchat.gateway.media;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one {@code Range} form players and download managers send: a single {@code bytes} range (RFC 9110 §14.1.2).
 * Anything else (several ranges, other units, garbage) is ignored and the whole object served, which the RFC allows;
 * a well-formed range that starts beyond the end is unsatisfiable (416).
 */
public final class RangeHeader {

    private static final Pattern SINGLE = Pattern.compile("bytes=(\\d{0,18})-(\\d{0,18})");

    private RangeHeader() {
    }

    /** Thrown for a range that selects nothing of an object of {@code size} bytes. */
    public static final class Unsatisfiable extends RuntimeException {
        private final long size;

        Unsatisfiable(long size) {
            super("range not satisfiable for " + size + " bytes", null, false, false);
            this.size = size;
        }

        public long size() {
            return size;
        }
    }

    /** The bytes {@code header} selects of an object of {@code size} bytes; empty for the whole object. */
    public static Optional<ByteRange> parse(String header, long size) {
        if (header == null) {
            return Optional.empty();
        }
        Matcher m = SINGLE.matcher(header.trim());
        if (!m.matches() || (m.group(1).isEmpty() && m.group(2).isEmpty())) {
            return Optional.empty();
        }
        if (m.group(1).isEmpty()) { // bytes=-n: the last n bytes
            long suffix = Long.parseLong(m.group(2));
            if (suffix == 0 || size == 0) {
                throw new Unsatisfiable(size);
            }
            return Optional.of(new ByteRange(Math.max(0, size - suffix), size - 1));
        }
        long first = Long.parseLong(m.group(1));
        long last = m.group(2).isEmpty() ? size - 1 : Long.parseLong(m.group(2));
        if (!m.group(2).isEmpty() && last < first) {
            return Optional.empty(); // invalid, not unsatisfiable: ignored
        }
        if (first >= size) {
            throw new Unsatisfiable(size);
        }
        return Optional.of(new ByteRange(first, Math.min(last, size - 1)));
    }
}
