package io.kchat.gateway.media.content;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.util.Arrays;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The orientation and progressiveness of a JPEG, read from hostile bytes without trusting an offset. */
class JpegHeaderTest {

    private static JpegHeader read(byte[] jpeg) throws IOException {
        try (ImageInputStream input = new MemoryCacheImageInputStream(new java.io.ByteArrayInputStream(jpeg))) {
            JpegHeader header = JpegHeader.read(input);
            assertEquals(0, input.getStreamPosition(), "the stream is left at its start");
            return header;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void theOrientationIsReadInEitherByteOrder(int orientation) throws IOException {
        byte[] jpeg = TestMedia.jpeg(20, 10);
        assertEquals(new JpegHeader(false, orientation),
                read(TestMedia.withExifOrientation(jpeg, orientation, false)));
        assertEquals(new JpegHeader(false, orientation),
                read(TestMedia.withExifOrientation(jpeg, orientation, true)));
    }

    @Test
    void progressiveIsToldFromTheFrameHeader() throws IOException {
        assertEquals(new JpegHeader(true, 1), read(TestMedia.progressiveJpeg(20, 10)));
        assertEquals(new JpegHeader(false, 1), read(TestMedia.jpeg(20, 10)));
    }

    @Test
    void invalidOrLyingExifGivesUpright() throws IOException {
        byte[] jpeg = TestMedia.jpeg(20, 10);
        assertEquals(1, read(TestMedia.withExifOrientation(jpeg, 9, false)).orientation());
        assertEquals(1, read(TestMedia.withExifOrientation(jpeg, 0, true)).orientation());

        byte[] lyingOffset = TestMedia.withExifOrientation(jpeg, 6, false);
        lyingOffset[6 + 6 + 4] = 0x7F; // IFD0 "at" 2 GB
        assertEquals(1, read(lyingOffset).orientation());

        byte[] manyEntries = TestMedia.withExifOrientation(jpeg, 6, false);
        manyEntries[6 + 6 + 8] = (byte) 0xFF; // 65,000 entries claimed in a 26-byte TIFF
        manyEntries[6 + 6 + 8 + 1] = (byte) 0xFF;
        manyEntries[6 + 6 + 10 + 1] = 0x13; // and the first is no orientation
        assertEquals(1, read(manyEntries).orientation());

        assertEquals(1, JpegHeader.exifOrientation(TestMedia.ascii("Exif\0\0MM")));
        assertEquals(1, JpegHeader.exifOrientation(TestMedia.ascii("Exif\0\0XX\0*\0\0\0\u0008\0\0\0\0")));
    }

    @Test
    void whatIsNoJpegOrIsCutShortEndsTheWalkQuietly() throws IOException {
        assertEquals(JpegHeader.PLAIN, read(TestMedia.png(3, 3)));
        byte[] jpeg = TestMedia.withExifOrientation(TestMedia.jpeg(20, 10), 6, false);
        assertEquals(JpegHeader.PLAIN, read(new byte[] {(byte) 0xFF, (byte) 0xD8, 0x12, 0x34}));
        assertEquals(6, read(Arrays.copyOf(jpeg, 60)).orientation(), "the Exif segment is whole in 60 bytes");
    }
}
