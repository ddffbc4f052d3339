package io.kchat.gateway.media.content;

/** An image's width and height in pixels, as its header declares them. */
public record ImageSize(int width, int height) {

    public ImageSize {
        if (width < 1 || height < 1) {
            throw new IllegalArgumentException("an image is at least 1 × 1: " + width + " × " + height);
        }
    }

    /** Width × height, without overflow: a header may declare 65,535 × 65,535 or more. */
    public long pixels() {
        return (long) width * height;
    }
}
