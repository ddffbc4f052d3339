package io.kchat.gateway.media.content;

import static io.kchat.gateway.media.content.TestMedia.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Dimensions come from the header alone, whatever the image's size, and damage gives none. */
class ImageProbeTest {

    private final ImageProbe probe = new ImageProbe();

    @Test
    void everyAllowedImageTypeGivesItsDimensions() {
        assertEquals(Optional.of(new ImageSize(30, 20)), probe.probe(TestMedia.png(30, 20), "image/png"));
        assertEquals(Optional.of(new ImageSize(31, 17)), probe.probe(TestMedia.jpeg(31, 17), "image/jpeg"));
        assertEquals(Optional.of(new ImageSize(5, 7)),
                probe.probe(TestMedia.encode(TestMedia.drawn(5, 7, false), "gif"), "image/gif"));
        assertEquals(Optional.of(new ImageSize(48, 30)), probe.probe(resource("photo.webp"), "image/webp"));
        assertEquals(Optional.of(new ImageSize(48, 30)), probe.probe(resource("photo-lossless.webp"), "image/webp"));
        assertEquals(Optional.of(new ImageSize(40, 20)), probe.probe(resource("anim.webp"), "image/webp"));
    }

    @Test
    void aJpegTurnedAQuarterByExifHasItsSidesSwappedAsItIsShown() {
        byte[] jpeg = TestMedia.jpeg(300, 100);
        assertEquals(Optional.of(new ImageSize(100, 300)),
                probe.probe(TestMedia.withExifOrientation(jpeg, 8, true), "image/jpeg"));
        assertEquals(Optional.of(new ImageSize(300, 100)),
                probe.probe(TestMedia.withExifOrientation(jpeg, 3, false), "image/jpeg"), "upside down: same sides");
    }

    @Test
    void aHugeImageIsMeasuredFromItsHeaderWithoutReadingItsPixels() {
        byte[] png = TestMedia.hugePng(20_000, 20_000);
        CountingStream in = new CountingStream(png);
        Optional<ImageSize> size = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> probe.probe(in, "image/png"));
        assertEquals(Optional.of(new ImageSize(20_000, 20_000)), size);
        assertTrue(in.count < png.length / 2, "read " + in.count + " of " + png.length + " bytes");
    }

    @Test
    void nonImagesAndDamagedHeadersGiveNothing() {
        byte[] png = TestMedia.png(30, 20);
        assertEquals(Optional.empty(), probe.probe(png, "application/pdf"));
        assertEquals(Optional.empty(), probe.probe(png, "image/svg+xml"));
        assertEquals(Optional.empty(), probe.probe(png, "image/jpeg"), "the type picks the decoder");
        assertEquals(Optional.empty(), probe.probe(TestMedia.truncated(png, 20), "image/png"));
        assertEquals(Optional.empty(), probe.probe(TestMedia.truncated(TestMedia.jpeg(30, 20), 10), "image/jpeg"));
        assertEquals(Optional.empty(), probe.probe(new byte[0], "image/gif"));
        byte[] signatureThenGarbage = TestMedia.ascii("\u0089PNG\r\n\u001a\nthis is no chunk at all, just words");
        assertEquals(Optional.empty(), probe.probe(signatureThenGarbage, "image/png"));
        assertEquals(Optional.empty(), probe.probe(TestMedia.ascii("<svg/>"), "image/webp"));
    }

    @Test
    void theCallersStreamIsLeftOpen() throws IOException {
        CountingStream in = new CountingStream(TestMedia.png(3, 3));
        probe.probe(in, "image/png");
        assertTrue(in.read() >= 0 || in.count > 0, "the stream can still be read");
    }

    /** Counts what the probe reads. */
    static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count += Math.max(0, n);
            return n;
        }

        @Override
        public void close() {
            throw new AssertionError("the caller's stream was closed");
        }
    }
}
