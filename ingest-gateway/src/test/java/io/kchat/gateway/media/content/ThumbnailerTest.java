package io.kchat.gateway.media.content;

import static io.kchat.gateway.media.content.TestMedia.resource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.media.content.ImageProbeTest.CountingStream;
import io.kchat.gateway.media.content.ThumbnailRefusedException.Reason;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Thumbnails of every allowed image, and what hostile or damaged uploads get instead. */
class ThumbnailerTest {

    private static final long MAX_PIXELS = 64_000_000L;

    private final Thumbnailer thumbnailer = new Thumbnailer(2, MAX_PIXELS);
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private static InputStreamSource bytes(byte[] bytes) {
        return () -> new ByteArrayInputStream(bytes);
    }

    private Thumbnail make(byte[] image, String contentType, ThumbnailSize size) throws Exception {
        Thumbnail thumbnail = thumbnailer.make(bytes(image), contentType, size);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
        assertEquals(thumbnail.width(), decoded.getWidth(), "the record tells the encoded width");
        assertEquals(thumbnail.height(), decoded.getHeight(), "the record tells the encoded height");
        return thumbnail;
    }

    private Reason refusal(byte[] image, String contentType) {
        return assertThrows(ThumbnailRefusedException.class,
                () -> thumbnailer.make(bytes(image), contentType, ThumbnailSize.SMALL)).reason();
    }

    @Test
    void aPhotoFitsEachBoxKeepingItsAspectAsJpeg() throws Exception {
        byte[] jpeg = TestMedia.jpeg(1200, 900);
        Thumbnail small = make(jpeg, "image/jpeg", ThumbnailSize.SMALL);
        assertEquals(List.of(96, 72, "image/jpeg"), List.of(small.width(), small.height(), small.contentType()));
        Thumbnail medium = make(jpeg, "image/jpeg", ThumbnailSize.MEDIUM);
        assertEquals(List.of(320, 240), List.of(medium.width(), medium.height()));
    }

    @Test
    void aPhoneHeldUprightGivesAnUprightThumbnail() throws Exception {
        // stored 300 × 100 with a green left edge; EXIF 6 says: turn a quarter clockwise to show it
        byte[] jpeg = TestMedia.withExifOrientation(TestMedia.jpeg(300, 100), 6, false);
        Thumbnail thumbnail = make(jpeg, "image/jpeg", ThumbnailSize.SMALL);
        assertEquals(List.of(32, 96), dimensions(thumbnail));
        BufferedImage shown = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes()));
        assertTrue(isGreen(shown.getRGB(16, 3)), "the left edge is now on top");
        assertTrue(!isGreen(shown.getRGB(16, 92)), "and the bottom is not green");
    }

    private static boolean isGreen(int rgb) {
        int red = rgb >> 16 & 0xFF;
        int green = rgb >> 8 & 0xFF;
        return green > 180 && red < 80;
    }

    @Test
    void aTinyImageIsNeverEnlarged() throws Exception {
        Thumbnail thumbnail = make(TestMedia.png(1, 1), "image/png", ThumbnailSize.MEDIUM);
        assertEquals(List.of(1, 1), List.of(thumbnail.width(), thumbnail.height()));
    }

    @Test
    void aWideImageKeepsItsAspectAndAtLeastOnePixel() throws Exception {
        Thumbnail thumbnail = make(TestMedia.png(4000, 100), "image/png", ThumbnailSize.SMALL);
        assertEquals(List.of(96, 2), List.of(thumbnail.width(), thumbnail.height()));
    }

    @Test
    void transparencyGivesAPngAndAnOpaquePngGivesAJpeg() throws Exception {
        byte[] translucent = TestMedia.encode(TestMedia.drawn(200, 100, true), "png");
        assertEquals("image/png", make(translucent, "image/png", ThumbnailSize.SMALL).contentType());
        assertEquals("image/jpeg", make(TestMedia.png(200, 100), "image/png", ThumbnailSize.SMALL).contentType());
    }

    @Test
    void gifAndEveryKindOfWebpHaveThumbnails() throws Exception {
        byte[] gif = TestMedia.encode(TestMedia.drawn(300, 150, false), "gif");
        assertEquals(List.of(96, 48), dimensions(make(gif, "image/gif", ThumbnailSize.SMALL)));
        assertEquals(List.of(96, 60), dimensions(make(resource("photo-640x400.webp"), "image/webp",
                ThumbnailSize.SMALL)));
        Thumbnail translucent = make(resource("alpha.webp"), "image/webp", ThumbnailSize.SMALL);
        assertEquals(List.of(64, 48, "image/png"),
                List.of(translucent.width(), translucent.height(), translucent.contentType()));
        assertEquals(List.of(48, 30), dimensions(make(resource("photo-lossless.webp"), "image/webp",
                ThumbnailSize.MEDIUM)), "never enlarged");
        assertEquals(List.of(40, 20), dimensions(make(resource("anim.webp"), "image/webp", ThumbnailSize.SMALL)),
                "the first frame of an animation");
    }

    @Test
    void anAnimatedGifGivesItsFirstFrame() throws Exception {
        byte[] gif = TestMedia.animatedGif(200, 100, Color.BLUE, Color.RED, Color.RED);
        Thumbnail thumbnail = make(gif, "image/gif", ThumbnailSize.SMALL);
        assertEquals(List.of(96, 48), dimensions(thumbnail));
        int rgb = ImageIO.read(new ByteArrayInputStream(thumbnail.bytes())).getRGB(48, 24);
        assertTrue((rgb & 0xFF) > 200 && (rgb >> 16 & 0xFF) < 60, "blue, the first frame: " + Integer.toHexString(rgb));
    }

    private static List<Integer> dimensions(Thumbnail thumbnail) {
        return List.of(thumbnail.width(), thumbnail.height());
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderAlone() {
        byte[] bomb = TestMedia.hugePng(20_000, 20_000);
        CountingStream in = new CountingStream(bomb);
        long started = System.nanoTime();
        ThumbnailRefusedException refused = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> assertThrows(
                ThumbnailRefusedException.class, () -> thumbnailer.make(() -> in, "image/png", ThumbnailSize.SMALL)));
        assertEquals(Reason.TOO_LARGE, refused.reason());
        assertTrue(in.count < bomb.length / 2, "read " + in.count + " of " + bomb.length + " bytes: no decoding");
        assertTrue(System.nanoTime() - started < TimeUnit.SECONDS.toNanos(1));
    }

    @Test
    void anImageAtThePixelBoundIsThumbnailedWithinMemoryAndOneAboveIsNot() throws Exception {
        // 8,000 × 8,000 = 64 MP: a full decode to ARGB would be 256 MB; subsampled it is 667 × 667
        Thumbnail thumbnail = make(TestMedia.hugePng(8000, 8000), "image/png", ThumbnailSize.MEDIUM);
        assertEquals(List.of(320, 320), dimensions(thumbnail));
        assertEquals(Reason.TOO_LARGE, refusal(TestMedia.hugePng(8001, 8000), "image/png"));
    }

    @Test
    void aWebpDecodedWholeGetsAQuarterOfThePixels() throws Exception {
        Thumbnailer tight = new Thumbnailer(1, 48 * 30 * 2);
        assertEquals(48, tight.make(bytes(resource("photo.webp")), "image/webp", ThumbnailSize.SMALL).width(),
                "lossy WebP subsamples as it decodes");
        for (String wholeDecode : List.of("photo-lossless.webp", "alpha.webp", "anim.webp")) {
            ThumbnailRefusedException refused = assertThrows(ThumbnailRefusedException.class,
                    () -> tight.make(bytes(resource(wholeDecode)), "image/webp", ThumbnailSize.SMALL));
            assertEquals(Reason.TOO_LARGE, refused.reason(), wholeDecode);
        }
    }

    @Test
    void aProgressiveJpegGetsAQuarterOfThePixels() throws Exception {
        Thumbnailer tight = new Thumbnailer(1, 400 * 300);
        assertEquals(96, tight.make(bytes(TestMedia.jpeg(400, 300)), "image/jpeg", ThumbnailSize.SMALL).width(),
                "a baseline JPEG subsamples as it decodes");
        ThumbnailRefusedException refused = assertThrows(ThumbnailRefusedException.class, () -> tight.make(
                bytes(TestMedia.progressiveJpeg(400, 300)), "image/jpeg", ThumbnailSize.SMALL));
        assertEquals(Reason.TOO_LARGE, refused.reason());
        assertEquals(96, tight.make(bytes(TestMedia.progressiveJpeg(200, 150)), "image/jpeg", ThumbnailSize.SMALL)
                .width(), "a quarter of the pixels is still thumbnailed");
    }

    @Test
    void damagedImagesAreUnreadable() {
        byte[] png = TestMedia.png(300, 200);
        byte[] jpeg = TestMedia.jpeg(300, 200);
        byte[] gif = TestMedia.encode(TestMedia.drawn(300, 200, false), "gif");
        byte[] webp = resource("photo-640x400.webp");
        assertEquals(Reason.UNREADABLE, refusal(TestMedia.truncated(png, png.length / 2), "image/png"));
        assertEquals(Reason.UNREADABLE, refusal(TestMedia.truncated(jpeg, jpeg.length / 2), "image/jpeg"));
        assertEquals(Reason.UNREADABLE, refusal(TestMedia.truncated(gif, gif.length / 2), "image/gif"));
        assertEquals(Reason.UNREADABLE, refusal(TestMedia.truncated(webp, webp.length / 2), "image/webp"));
        assertEquals(Reason.UNREADABLE, refusal(TestMedia.truncated(png, 30), "image/png"));
        byte[] signatureThenGarbage = TestMedia.ascii("\u0089PNG\r\n\u001a\n" + "garbage, not chunks ".repeat(20));
        assertEquals(Reason.UNREADABLE, refusal(signatureThenGarbage, "image/png"));
        assertEquals(Reason.UNREADABLE, refusal(png, "image/jpeg"), "the sniffed type picks the decoder");
        assertEquals(Reason.UNREADABLE, refusal(new byte[0], "image/gif"));
    }

    @Test
    void otherTypesHaveNoThumbnail() {
        assertEquals(Reason.NOT_AN_IMAGE, refusal(TestMedia.png(3, 3), "application/pdf"));
        assertEquals(Reason.NOT_AN_IMAGE, refusal(TestMedia.ascii("<svg/>"), "image/svg+xml"));
    }

    @Test
    void aFailingSourceIsAnIoErrorNotADamagedImage() {
        IOException storeDown = new IOException("store down");
        byte[] png = TestMedia.png(300, 200);
        InputStreamSource failsMidway = () -> new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                if (position == 100) {
                    throw storeDown;
                }
                return png[position++] & 0xFF;
            }
        };
        assertSame(storeDown, assertThrows(IOException.class,
                () -> thumbnailer.make(failsMidway, "image/png", ThumbnailSize.SMALL)));
        assertThrows(IOException.class, () -> thumbnailer.make(() -> {
            throw new IOException("no such object");
        }, "image/png", ThumbnailSize.SMALL));
    }

    @Test
    void aDecodePastItsDeadlineIsAborted() {
        Thumbnailer impatient = new Thumbnailer(1, MAX_PIXELS, Duration.ofSeconds(1), Duration.ZERO);
        ThumbnailRefusedException refused = assertThrows(ThumbnailRefusedException.class,
                () -> impatient.make(bytes(TestMedia.png(2000, 1000)), "image/png", ThumbnailSize.SMALL));
        assertEquals(Reason.TIMED_OUT, refused.reason());
    }

    @Test
    void noMoreDecodesRunAtOnceThanWorkersAndALateCallerIsToldBusy() throws Exception {
        Thumbnailer two = new Thumbnailer(2, MAX_PIXELS, Duration.ofMillis(300), Thumbnailer.DEFAULT_MAX_DECODE);
        byte[] png = TestMedia.png(50, 50);
        CountDownLatch bothOpened = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        InputStreamSource slow = () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            bothOpened.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return new ByteArrayInputStream(png);
        };
        List<Future<Thumbnail>> holders = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            holders.add(threads.submit(() -> two.make(slow, "image/png", ThumbnailSize.SMALL)));
        }
        assertTrue(bothOpened.await(10, TimeUnit.SECONDS), "two workers decode at once");

        ThumbnailRefusedException late = assertThrows(ThumbnailRefusedException.class,
                () -> two.make(slow, "image/png", ThumbnailSize.SMALL));
        assertEquals(Reason.BUSY, late.reason());
        assertEquals(2, mostAtOnce.get(), "the third never opened its source");

        release.countDown();
        for (Future<Thumbnail> holder : holders) {
            assertEquals(50, holder.get(10, TimeUnit.SECONDS).width());
        }
        assertEquals(50, two.make(bytes(png), "image/png", ThumbnailSize.SMALL).width(), "slots are given back");
    }

    @Test
    void withOneWorkerCallersTakeTurnsAndAllSucceed() throws Exception {
        Thumbnailer one = new Thumbnailer(1, MAX_PIXELS);
        byte[] png = TestMedia.png(600, 400);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        InputStreamSource counted = () -> {
            mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
            return new ByteArrayInputStream(png) {
                @Override
                public void close() {
                    running.decrementAndGet();
                }
            };
        };
        List<Future<Thumbnail>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(threads.submit(() -> one.make(counted, "image/png", ThumbnailSize.SMALL)));
        }
        for (Future<Thumbnail> call : calls) {
            assertEquals(96, call.get(30, TimeUnit.SECONDS).width());
        }
        assertEquals(1, mostAtOnce.get());
    }
}
