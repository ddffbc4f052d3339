package io.kchat.gateway.media.content;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Uploads are hostile: whatever the bytes and the declared type, the sniffer answers allowed or refused, the probe
 * dimensions or nothing, the thumbnailer a thumbnail within its box or a {@link ThumbnailRefusedException}, and
 * nothing else escapes. The image target hands fuzzed bytes straight to each decoder, since random bytes seldom pass
 * the sniffer as an image. Without JAZZER_FUZZ this runs as a regression test on an empty input.
 */
class MediaContentFuzzTest {

    private static final ContentSniffer SNIFFER = new ContentSniffer();
    private static final ImageProbe PROBE = new ImageProbe();
    private static final Thumbnailer THUMBNAILER = new Thumbnailer(1, 4_000_000L, Duration.ofSeconds(5),
            Duration.ofSeconds(5));
    private static final List<String> DECLARED = new ArrayList<>(List.of("", "application/octet-stream",
            "image/png", "image/gif", "audio/webm;codecs=opus", "video/mp4", "text/plain"));

    @FuzzTest(maxDuration = "5m")
    void anyUploadIsAllowedAsAnAllowedTypeOrRefused(FuzzedDataProvider data) throws IOException {
        String declared = data.pickValue(DECLARED);
        byte[] bytes = data.consumeRemainingAsBytes();
        if (SNIFFER.sniff(bytes, declared.isEmpty() ? null : declared) instanceof SniffResult.Allowed allowed) {
            assertTrue(ContentTypes.ALL.contains(allowed.contentType()), allowed.contentType());
            if (ContentTypes.isImage(allowed.contentType())) {
                decode(bytes, allowed.contentType());
            }
        }
    }

    @FuzzTest(maxDuration = "5m")
    void anyImageIsMeasuredAndThumbnailedOrRefused(FuzzedDataProvider data) throws IOException {
        String contentType = data.pickValue(List.copyOf(ContentTypes.IMAGES));
        decode(data.consumeRemainingAsBytes(), contentType);
    }

    private static void decode(byte[] bytes, String contentType) throws IOException {
        Optional<ImageSize> size = PROBE.probe(bytes, contentType);
        for (ThumbnailSize box : ThumbnailSize.values()) {
            try {
                Thumbnail thumbnail = THUMBNAILER.make(() -> new ByteArrayInputStream(bytes), contentType, box);
                assertTrue(size.isPresent(), "a thumbnail of what has no readable header");
                assertTrue(thumbnail.width() <= box.box() && thumbnail.height() <= box.box(), thumbnail.toString());
            } catch (ThumbnailRefusedException refused) {
                // the only other answer
            }
        }
    }
}
