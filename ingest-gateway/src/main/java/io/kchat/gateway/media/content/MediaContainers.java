package io.kchat.gateway.media.content;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The two container headers magic detection cannot classify on its own: the brand of an ISO base media file (MP4,
 * QuickTime, HEIF and 3GP all start with an {@code ftyp} box) and the DocType of an EBML file (WebM and Matroska share
 * the EBML header). Both are read from the first bytes only, never trusting a length beyond them.
 */
final class MediaContainers {

    private static final int EBML_MAGIC = 0x1A45DFA3;
    private static final int EBML_DOCTYPE = 0x4282;

    private MediaContainers() {
    }

    /** The major brand of an ISO base media file ({@code "isom"}, {@code "M4A "}, {@code "qt  "}...), if it is one. */
    static Optional<String> isoMajorBrand(byte[] head) {
        if (head.length < 12 || !ascii(head, 4, 4).equals("ftyp")) {
            return Optional.empty();
        }
        return Optional.of(ascii(head, 8, 4));
    }

    /** The compatible brands of the {@code ftyp} box, as one string of 4-character codes (possibly empty). */
    static String isoCompatibleBrands(byte[] head) {
        long boxSize = readInt(head, 0) & 0xFFFFFFFFL;
        int end = (int) Math.min(boxSize, head.length);
        return end > 16 ? ascii(head, 16, (end - 16) / 4 * 4) : "";
    }

    /** The DocType of an EBML file ({@code "webm"}, {@code "matroska"}), if it is one and its header says. */
    static Optional<String> ebmlDocType(byte[] head) {
        if (head.length < 5 || readInt(head, 0) != EBML_MAGIC) {
            return Optional.empty();
        }
        long[] headerSize = vint(head, 4, true);
        if (headerSize == null) {
            return Optional.empty();
        }
        int pos = 4 + (int) headerSize[1];
        long end = Math.min(head.length, pos + headerSize[0]);
        while (pos < end) {
            long[] id = vint(head, pos, false);
            if (id == null) {
                return Optional.empty();
            }
            long[] size = vint(head, pos + (int) id[1], true);
            if (size == null) {
                return Optional.empty();
            }
            int data = pos + (int) id[1] + (int) size[1];
            if (size[0] > end - data) {
                return Optional.empty();
            }
            if (id[0] == EBML_DOCTYPE) {
                return Optional.of(ascii(head, data, (int) size[0]).replace("\0", ""));
            }
            pos = data + (int) size[0];
        }
        return Optional.empty();
    }

    /**
     * An EBML variable-length integer at {@code pos}: {value, length in bytes}, or null when it runs past the bytes or
     * is no valid one. Element IDs keep their length marker, sizes drop it.
     */
    private static long[] vint(byte[] bytes, int pos, boolean dropMarker) {
        if (pos >= bytes.length || bytes[pos] == 0) {
            return null;
        }
        int first = bytes[pos] & 0xFF;
        int length = Integer.numberOfLeadingZeros(first) - 23;
        if (pos + length > bytes.length) {
            return null;
        }
        long value = dropMarker ? first & (0xFF >> length) : first;
        for (int i = 1; i < length; i++) {
            value = (value << 8) | (bytes[pos + i] & 0xFF);
        }
        return new long[] {value, length};
    }

    private static int readInt(byte[] bytes, int pos) {
        return ((bytes[pos] & 0xFF) << 24) | ((bytes[pos + 1] & 0xFF) << 16) | ((bytes[pos + 2] & 0xFF) << 8)
                | (bytes[pos + 3] & 0xFF);
    }

    private static String ascii(byte[] bytes, int offset, int length) {
        return new String(bytes, offset, Math.max(0, Math.min(length, bytes.length - offset)),
                StandardCharsets.ISO_8859_1);
    }
}
