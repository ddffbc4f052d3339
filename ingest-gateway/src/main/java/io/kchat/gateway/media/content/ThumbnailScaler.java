package io.kchat.gateway.media.content;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * The arithmetic and drawing of a thumbnail once the header is known: the box it fits, how coarsely to decode, the
 * scaling and the encoding. No I/O beyond memory; thread-safe (stateless).
 */
final class ThumbnailScaler {

    static final float JPEG_QUALITY = 0.8f;

    private ThumbnailScaler() {
    }

    /** The largest size with the source's aspect that fits in the box, never larger than the source, at least 1 px. */
    static ImageSize fit(ImageSize source, int box) {
        if (source.width() <= box && source.height() <= box) {
            return source;
        }
        double scale = Math.min((double) box / source.width(), (double) box / source.height());
        return new ImageSize(
                Math.max(1, Math.min(box, (int) Math.round(source.width() * scale))),
                Math.max(1, Math.min(box, (int) Math.round(source.height() * scale))));
    }

    /**
     * Keep every n-th pixel of every n-th row while decoding: as coarse as leaves at least twice the target on each
     * side (for a smooth downscale afterwards), and at least coarse enough that the longer decoded side is at most
     * four boxes. The decoded raster is so at most 4 box × 4 box pixels, whatever the source size.
     */
    static int subsampling(ImageSize source, ImageSize target, int box) {
        int keepsDetail = Math.min(source.width() / (2 * target.width()), source.height() / (2 * target.height()));
        int longest = Math.max(source.width(), source.height());
        int boundsMemory = (int) Math.ceil(longest / (4.0 * box));
        return Math.max(1, Math.max(keepsDetail, boundsMemory));
    }

    /** Scales to exactly {@code target}: halving with bilinear filtering while that stays above it, bicubic last. */
    static BufferedImage scale(BufferedImage decoded, ImageSize target) {
        boolean alpha = decoded.getColorModel().hasAlpha();
        BufferedImage current = redraw(decoded, decoded.getWidth(), decoded.getHeight(), alpha,
                RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        while (current.getWidth() / 2 >= target.width() && current.getHeight() / 2 >= target.height()
                && (current.getWidth() > target.width() || current.getHeight() > target.height())) {
            current = redraw(current, current.getWidth() / 2, current.getHeight() / 2, alpha,
                    RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        }
        if (current.getWidth() != target.width() || current.getHeight() != target.height()) {
            current = redraw(current, target.width(), target.height(), alpha,
                    RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        }
        return current;
    }

    /**
     * Turns or mirrors the (small) thumbnail as its EXIF orientation says, so it shows as the browser shows the
     * original. 1 is upright; 5 to 8 trade width and height.
     */
    static BufferedImage orient(BufferedImage image, int orientation) {
        if (orientation < 2 || orientation > 8) {
            return image;
        }
        int w = image.getWidth();
        int h = image.getHeight();
        boolean swap = orientation >= 5;
        BufferedImage turned = new BufferedImage(swap ? h : w, swap ? w : h,
                image.getColorModel().hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = image.getRGB(x, y);
                switch (orientation) {
                    case 2 -> turned.setRGB(w - 1 - x, y, rgb);
                    case 3 -> turned.setRGB(w - 1 - x, h - 1 - y, rgb);
                    case 4 -> turned.setRGB(x, h - 1 - y, rgb);
                    case 5 -> turned.setRGB(y, x, rgb);
                    case 6 -> turned.setRGB(h - 1 - y, x, rgb);
                    case 7 -> turned.setRGB(h - 1 - y, w - 1 - x, rgb);
                    default -> turned.setRGB(y, w - 1 - x, rgb);
                }
            }
        }
        return turned;
    }

    /** PNG when some pixel is (partly) transparent, else JPEG: a PNG with an unused alpha channel becomes a JPEG. */
    static Thumbnail encode(BufferedImage image) {
        if (image.getColorModel().hasAlpha() && !isOpaque(image)) {
            return new Thumbnail(write(image, "png", null), ContentTypes.IMAGE_PNG, image.getWidth(),
                    image.getHeight());
        }
        BufferedImage opaque = image.getType() == BufferedImage.TYPE_INT_RGB ? image
                : redraw(image, image.getWidth(), image.getHeight(), false,
                        RenderingHints.VALUE_INTERPOLATION_NEAREST_NEIGHBOR);
        return new Thumbnail(write(opaque, "jpeg", JPEG_QUALITY), ContentTypes.IMAGE_JPEG, image.getWidth(),
                image.getHeight());
    }

    private static boolean isOpaque(BufferedImage image) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) >>> 24 != 0xFF) {
                    return false;
                }
            }
        }
        return true;
    }

    private static BufferedImage redraw(BufferedImage source, int width, int height, boolean alpha,
                                        Object interpolation) {
        BufferedImage target = new BufferedImage(width, height,
                alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, interpolation);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.setRenderingHint(RenderingHints.KEY_ALPHA_INTERPOLATION,
                    RenderingHints.VALUE_ALPHA_INTERPOLATION_QUALITY);
            g.drawImage(source, 0, 0, width, height, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    /** Written through a memory cache: ImageIO's default would spill to temporary files. */
    private static byte[] write(BufferedImage image, String format, Float quality) {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (quality != null) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(quality);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
