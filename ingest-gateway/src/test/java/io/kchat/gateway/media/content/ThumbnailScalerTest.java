package io.kchat.gateway.media.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The box arithmetic: aspect kept, never enlarged, and a decode bounded whatever the source. */
class ThumbnailScalerTest {

    @ParameterizedTest
    @CsvSource({
            "1, 1, 96, 1, 1",
            "96, 50, 96, 96, 50",
            "640, 480, 96, 96, 72",
            "480, 640, 320, 240, 320",
            "4000, 100, 96, 96, 2",
            "100, 4000, 96, 2, 96",
            "30000, 3, 96, 96, 1",
            "8000, 8000, 320, 320, 320",
    })
    void fitsTheBoxKeepingTheAspectAndNeverEnlarging(int width, int height, int box, int expectedWidth,
                                                     int expectedHeight) {
        assertEquals(new ImageSize(expectedWidth, expectedHeight),
                ThumbnailScaler.fit(new ImageSize(width, height), box));
    }

    @Test
    void theDecodedRasterIsAtMostFourBoxesPerSideAndNeverBelowTheTarget() {
        int[] sides = {1, 2, 3, 50, 96, 97, 191, 192, 320, 321, 639, 640, 1000, 4000, 8000, 16_383, 20_000, 65_535};
        for (ThumbnailSize size : ThumbnailSize.values()) {
            for (int width : sides) {
                for (int height : sides) {
                    ImageSize source = new ImageSize(width, height);
                    ImageSize target = ThumbnailScaler.fit(source, size.box());
                    int step = ThumbnailScaler.subsampling(source, target, size.box());
                    int decodedWidth = (width + step - 1) / step;
                    int decodedHeight = (height + step - 1) / step;
                    String where = source + " -> " + target + " step " + step;
                    assertTrue(decodedWidth <= 4 * size.box() && decodedHeight <= 4 * size.box(), where);
                    assertTrue(decodedWidth >= target.width() && decodedHeight >= target.height(), where);
                }
            }
        }
        assertEquals(12, ThumbnailScaler.subsampling(new ImageSize(8000, 8000), new ImageSize(320, 320), 320));
    }

    @Test
    void scalingHitsTheTargetExactlyAndKeepsAlphaOnlyWhenUsed() {
        BufferedImage scaled = ThumbnailScaler.scale(TestMedia.drawn(401, 203, false), new ImageSize(96, 49));
        assertEquals(96, scaled.getWidth());
        assertEquals(49, scaled.getHeight());
        assertEquals("image/jpeg", ThumbnailScaler.encode(scaled).contentType());

        Thumbnail translucent = ThumbnailScaler.encode(
                ThumbnailScaler.scale(TestMedia.drawn(50, 50, true), new ImageSize(20, 20)));
        assertEquals("image/png", translucent.contentType());

        BufferedImage opaqueWithAlphaChannel = new BufferedImage(8, 8, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                opaqueWithAlphaChannel.setRGB(x, y, 0xFF336699);
            }
        }
        assertEquals("image/jpeg", ThumbnailScaler.encode(opaqueWithAlphaChannel).contentType());
    }
}
