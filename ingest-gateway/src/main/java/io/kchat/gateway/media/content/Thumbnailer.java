package io.kchat.gateway.media.content;

import io.kchat.gateway.media.content.ThumbnailRefusedException.Reason;
import java.awt.image.BufferedImage;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadProgressListener;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes thumbnails of uploaded images, bounded in what any upload can cost:
 * <ul>
 *   <li>at most {@code workers} decodes at once; a request beyond waits for a slot, at most {@code maxWait}, then is
 *       refused as {@link Reason#BUSY};</li>
 *   <li>the header is read first, and an image of more than {@code maxPixels} is refused ({@link Reason#TOO_LARGE})
 *       before a single pixel is decoded: a decompression bomb costs its header;</li>
 *   <li>the decoder subsamples while it reads, so what is held in memory is at most 4 × 4 boxes of pixels however
 *       large the source ({@link ThumbnailScaler#subsampling}); images whose decoder cannot (lossless or
 *       transparent WebP, progressive JPEG) get a quarter of {@code maxPixels};</li>
 *   <li>a decode past {@code maxDecode} is aborted ({@link Reason#TIMED_OUT}); damage is {@link Reason#UNREADABLE},
 *       never another exception.</li>
 * </ul>
 * Animated GIF and WebP give their first frame. Of EXIF only a JPEG's orientation is honoured, as browsers do for
 * the original. Thread-safe.
 */
public final class Thumbnailer {

    public static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_MAX_DECODE = Duration.ofSeconds(20);

    /**
     * Lossless or transparent WebP ({@link ImageReaders#webpDecodesWhole}) and progressive JPEG ({@link JpegHeader})
     * are held whole while decoding, 2 to 6 bytes a pixel: they get a quarter of the pixels, so such a decode costs
     * at most about {@code maxPixels} bytes.
     */
    static final int WHOLE_DECODE_SHARE = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Thumbnailer.class);

    private final Semaphore slots;
    private final long maxPixels;
    private final Duration maxWait;
    private final Duration maxDecode;

    public Thumbnailer(int workers, long maxPixels) {
        this(workers, maxPixels, DEFAULT_MAX_WAIT, DEFAULT_MAX_DECODE);
    }

    public Thumbnailer(int workers, long maxPixels, Duration maxWait, Duration maxDecode) {
        if (workers < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("workers and maxPixels must be positive: " + workers + ", " + maxPixels);
        }
        this.slots = new Semaphore(workers, true);
        this.maxPixels = maxPixels;
        this.maxWait = maxWait;
        this.maxDecode = maxDecode;
    }

    /**
     * @param source      the stored image, opened once a decode slot is free
     * @param contentType its sniffed type ({@link ContentSniffer})
     * @throws ThumbnailRefusedException when no thumbnail can or may be made (see {@link Reason})
     * @throws IOException               only when the source itself fails (opening or reading it), never for what it
     *                                   contains
     */
    public Thumbnail make(InputStreamSource source, String contentType, ThumbnailSize size)
            throws ThumbnailRefusedException, IOException {
        if (!ContentTypes.isImage(contentType)) {
            throw new ThumbnailRefusedException(Reason.NOT_AN_IMAGE, contentType + " has no thumbnail");
        }
        acquireSlot();
        try (SourceStream in = new SourceStream(source.open())) {
            return decode(in, contentType, size);
        } finally {
            slots.release();
        }
    }

    private void acquireSlot() throws ThumbnailRefusedException {
        try {
            if (!slots.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ThumbnailRefusedException(Reason.BUSY, "every thumbnail slot stayed busy for " + maxWait);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ThumbnailRefusedException(Reason.BUSY, "interrupted while waiting for a thumbnail slot");
        }
    }

    private Thumbnail decode(SourceStream in, String contentType, ThumbnailSize size)
            throws ThumbnailRefusedException, IOException {
        ImageReader reader = null;
        try (ImageInputStream input = new MemoryCacheImageInputStream(in)) {
            JpegHeader jpeg = contentType.equals(ContentTypes.IMAGE_JPEG) ? JpegHeader.read(input) : JpegHeader.PLAIN;
            boolean decodesWhole = jpeg.progressive()
                    || contentType.equals(ContentTypes.IMAGE_WEBP) && ImageReaders.webpDecodesWhole(input);
            reader = ImageReaders.open(contentType, input).orElseThrow(() -> new ThumbnailRefusedException(
                    Reason.NOT_AN_IMAGE, "no decoder for " + contentType));
            ImageSize header = admit(reader, decodesWhole ? maxPixels / WHOLE_DECODE_SHARE : maxPixels);
            ImageSize target = ThumbnailScaler.fit(header, size.box());
            BufferedImage decoded = read(reader, ThumbnailScaler.subsampling(header, target, size.box()));
            BufferedImage scaled = ThumbnailScaler.scale(decoded, target);
            return ThumbnailScaler.encode(ThumbnailScaler.orient(scaled, jpeg.orientation()));
        } catch (IOException | RuntimeException e) {
            if (in.failure != null) {
                throw in.failure; // the store failed us, the image may be fine
            }
            LOG.debug("no thumbnail of this {}: {}", contentType, e.toString());
            throw new ThumbnailRefusedException(Reason.UNREADABLE, "the image cannot be decoded: " + e);
        } finally {
            if (reader != null) {
                reader.dispose();
            }
        }
    }

    /** The header's size, if within {@code limit} pixels: nothing has been decoded yet. */
    private static ImageSize admit(ImageReader reader, long limit) throws IOException, ThumbnailRefusedException {
        ImageSize header = new ImageSize(reader.getWidth(0), reader.getHeight(0));
        if (header.pixels() > limit) {
            throw new ThumbnailRefusedException(Reason.TOO_LARGE, header.width() + " × " + header.height()
                    + " is more than " + limit + " pixels");
        }
        return header;
    }

    /** The first image, keeping every {@code step}-th pixel of every {@code step}-th row, under the deadline. */
    private BufferedImage read(ImageReader reader, int step) throws IOException, ThumbnailRefusedException {
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        Guard guard = new Guard(System.nanoTime() + maxDecode.toNanos());
        reader.addIIOReadProgressListener(guard);
        reader.addIIOReadWarningListener(guard);
        BufferedImage decoded = reader.read(0, param);
        guard.check();
        return decoded;
    }

    /**
     * Watches a decode: aborts it past its deadline (decoders report progress row by row) and remembers warnings,
     * which is how a decoder says it recovered from damage (a truncated JPEG decodes with a grey tail).
     */
    private static final class Guard implements IIOReadProgressListener, IIOReadWarningListener {
        private final long deadline;
        private volatile boolean timedOut;
        private volatile String warning;

        Guard(long deadline) {
            this.deadline = deadline;
        }

        void check() throws ThumbnailRefusedException {
            if (timedOut) {
                throw new ThumbnailRefusedException(Reason.TIMED_OUT, "the decode ran past its deadline");
            }
            if (warning != null) {
                throw new ThumbnailRefusedException(Reason.UNREADABLE, "the image is damaged: " + warning);
            }
        }

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            this.warning = warning;
        }

        @Override
        public void imageProgress(ImageReader source, float percentageDone) {
            if (System.nanoTime() - deadline > 0) {
                timedOut = true;
                source.abort();
            }
        }

        @Override
        public void sequenceStarted(ImageReader source, int minIndex) {
        }

        @Override
        public void sequenceComplete(ImageReader source) {
        }

        @Override
        public void imageStarted(ImageReader source, int imageIndex) {
        }

        @Override
        public void imageComplete(ImageReader source) {
        }

        @Override
        public void thumbnailStarted(ImageReader source, int imageIndex, int thumbnailIndex) {
        }

        @Override
        public void thumbnailProgress(ImageReader source, float percentageDone) {
        }

        @Override
        public void thumbnailComplete(ImageReader source) {
        }

        @Override
        public void readAborted(ImageReader source) {
        }
    }

    /** Remembers a failure of the source itself, so that it is not mistaken for a damaged image. */
    private static final class SourceStream extends FilterInputStream {
        private IOException failure;

        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }

        @Override
        public long skip(long n) throws IOException {
            try {
                return super.skip(n);
            } catch (IOException e) {
                failure = e;
                throw e;
            }
        }
    }
}
