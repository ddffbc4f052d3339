package io.kchat.gateway.media.content;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;

/**
 * What the segments before a JPEG's frame header tell: whether it is progressive (its decoder then buffers every
 * coefficient) and its EXIF orientation, the one EXIF field honoured, so a phone's portrait photo has an upright
 * thumbnail. Everything else in EXIF is ignored.
 *
 * @param progressive SOF2, SOF6, SOF10 or SOF14
 * @param orientation 1 to 8 as in EXIF/TIFF, 1 when absent or invalid
 */
record JpegHeader(boolean progressive, int orientation) {

    static final JpegHeader PLAIN = new JpegHeader(false, 1);

    private static final byte[] EXIF = "Exif\0\0".getBytes(StandardCharsets.ISO_8859_1);
    private static final int TAG_ORIENTATION = 0x0112;

    /**
     * Walks the segments up to the frame header. Each step consumes at least two bytes of a finite stream; anything
     * odd ends the walk with what was found, and is left to the decoder to refuse. Called on a stream at its start;
     * leaves it there.
     */
    static JpegHeader read(ImageInputStream input) throws IOException {
        input.mark();
        try {
            return walk(input);
        } finally {
            input.reset();
        }
    }

    private static JpegHeader walk(ImageInputStream input) throws IOException {
        int orientation = 1;
        if (input.readUnsignedShort() != 0xFFD8) {
            return PLAIN;
        }
        while (true) {
            if (input.read() != 0xFF) {
                return new JpegHeader(false, orientation);
            }
            int marker = input.read();
            while (marker == 0xFF) {
                marker = input.read(); // fill bytes
            }
            if (marker < 0 || marker == 0xDA || marker == 0xD9) {
                return new JpegHeader(false, orientation);
            }
            if (marker == 0x01 || marker >= 0xD0 && marker <= 0xD8) {
                continue; // segments without a length
            }
            if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC) {
                boolean progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
                return new JpegHeader(progressive, orientation);
            }
            int length = input.readUnsignedShort();
            if (length < 2) {
                return new JpegHeader(false, orientation);
            }
            if (marker == 0xE1 && orientation == 1) {
                byte[] segment = new byte[length - 2];
                input.readFully(segment);
                orientation = exifOrientation(segment);
            } else {
                input.skipBytes(length - 2L);
            }
        }
    }

    /** The orientation in IFD0 of an APP1 Exif segment, 1 when there is none; every offset is checked. */
    static int exifOrientation(byte[] segment) {
        if (segment.length < EXIF.length + 8 || !Arrays.equals(segment, 0, EXIF.length, EXIF, 0, EXIF.length)) {
            return 1;
        }
        int tiff = EXIF.length;
        boolean little = segment[tiff] == 'I' && segment[tiff + 1] == 'I';
        if (!little && !(segment[tiff] == 'M' && segment[tiff + 1] == 'M')) {
            return 1;
        }
        long ifd = tiff + unsigned32(segment, tiff + 4, little);
        if (ifd + 2 > segment.length) {
            return 1;
        }
        int entries = unsigned16(segment, (int) ifd, little);
        for (int i = 0; i < entries; i++) {
            int entry = (int) ifd + 2 + 12 * i;
            if (entry + 12 > segment.length) {
                return 1;
            }
            if (unsigned16(segment, entry, little) == TAG_ORIENTATION) {
                int value = unsigned16(segment, entry + 8, little);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    /** Orientations 5 to 8 turn the image a quarter: width and height trade places on display. */
    boolean swapsSides() {
        return orientation >= 5;
    }

    private static int unsigned16(byte[] b, int at, boolean little) {
        return little ? (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 : (b[at] & 0xFF) << 8 | (b[at + 1] & 0xFF);
    }

    private static long unsigned32(byte[] b, int at, boolean little) {
        long high = unsigned16(b, little ? at + 2 : at, little);
        long low = unsigned16(b, little ? at : at + 2, little);
        return high << 16 | low;
    }
}
