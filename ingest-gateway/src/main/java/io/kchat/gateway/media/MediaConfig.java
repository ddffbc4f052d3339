package io.kchat.gateway.media;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Where media go (D14) and the bounds on them.
 *
 * @param storage            the S3-compatible store; empty when S3_ENDPOINT is unset, and then every media route
 *                           answers 503 rather than pretending to keep what it cannot
 * @param maxBytes           the largest upload (413 above)
 * @param thumbnailWorkers   thumbnails decoded at once on this node; a request beyond waits its turn
 * @param maxPixels          images with more pixels (width × height, read from the header) get no thumbnail: a
 *                           decompression bomb is refused before anything is decoded
 * @param unusedAfter        an upload never attached nor used as an avatar is deleted this long after its upload
 *                           (or after the send that last named it)
 * @param janitorInterval    how often the janitor looks for such uploads
 */
public record MediaConfig(
        Optional<S3Storage> storage,
        long maxBytes,
        int thumbnailWorkers,
        long maxPixels,
        Duration unusedAfter,
        Duration janitorInterval) {

    public static final long DEFAULT_MAX_BYTES = 25L * 1024 * 1024;
    /** Two decodes at a time keep a 2-core node answering messages while thumbnails are made. */
    public static final int DEFAULT_THUMBNAIL_WORKERS = 2;
    /** A 48-megapixel phone photo gets its thumbnail; a 20,000 × 20,000 image does not. */
    public static final long DEFAULT_MAX_PIXELS = 64_000_000L;
    public static final Duration DEFAULT_UNUSED_AFTER = Duration.ofDays(1);
    public static final Duration DEFAULT_JANITOR_INTERVAL = Duration.ofMinutes(10);

    /**
     * An S3-compatible bucket. Without an access key the AWS SDK's default credentials chain is used (instance or pod
     * roles), never anonymous access.
     */
    public record S3Storage(URI endpoint, String region, String bucket, Optional<String> accessKey,
                            Optional<String> secretKey) {
        public S3Storage {
            if (endpoint == null || endpoint.getScheme() == null
                    || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))) {
                throw new IllegalArgumentException("S3_ENDPOINT must be an http or https URL: " + endpoint);
            }
            if (bucket == null || !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
                throw new IllegalArgumentException("S3_BUCKET is no valid bucket name: " + bucket);
            }
            if (accessKey.isPresent() != secretKey.isPresent()) {
                throw new IllegalArgumentException("S3_ACCESS_KEY and S3_SECRET_KEY go together: set both or neither");
            }
        }

        @Override
        public String toString() {
            // the secret never reaches a log line
            return "S3Storage[" + endpoint + ", region=" + region + ", bucket=" + bucket + "]";
        }
    }

    public static final Setting<String> S3_ENDPOINT = Setting.optionalText("S3_ENDPOINT",
            "media routes answer 503", "URL of the S3-compatible object store (path-style access)");
    public static final Setting<String> S3_REGION = Setting.text("S3_REGION", "us-east-1",
            "region the store's requests are signed for");
    public static final Setting<String> S3_BUCKET = Setting.text("S3_BUCKET", "kchat-media",
            "bucket holding media and thumbnails; must exist");
    public static final Setting<String> S3_ACCESS_KEY = Setting.optionalText("S3_ACCESS_KEY",
            "the AWS SDK's default credentials chain", "access key id of the store");
    public static final Setting<String> S3_SECRET_KEY = Setting.optionalText("S3_SECRET_KEY", "",
            "secret access key of S3_ACCESS_KEY");
    public static final Setting<Integer> MAX_BYTES = Setting.integer("MEDIA_MAX_BYTES", (int) DEFAULT_MAX_BYTES,
            "largest upload in bytes (413 above)");
    public static final Setting<Integer> THUMBNAIL_WORKERS = Setting.integer("MEDIA_THUMBNAIL_WORKERS",
            DEFAULT_THUMBNAIL_WORKERS, "thumbnails decoded at once per node");
    public static final Setting<Integer> MAX_MEGAPIXELS = Setting.integer("MEDIA_MAX_MEGAPIXELS", 64,
            "images above this many megapixels get no thumbnail");
    public static final Setting<Duration> UNUSED_AFTER = Setting.duration("MEDIA_UNUSED_AFTER", DEFAULT_UNUSED_AFTER,
            "uploads never attached nor used as an avatar are deleted after this");
    public static final Setting<Duration> JANITOR_INTERVAL = Setting.duration("MEDIA_JANITOR_INTERVAL",
            DEFAULT_JANITOR_INTERVAL, "how often unused uploads are looked for");

    public MediaConfig {
        if (storage == null) {
            throw new IllegalArgumentException("storage must be present or empty, not null");
        }
        if (maxBytes < 1 || thumbnailWorkers < 1 || maxPixels < 1) {
            throw new IllegalArgumentException("MEDIA_MAX_BYTES, MEDIA_THUMBNAIL_WORKERS and MEDIA_MAX_MEGAPIXELS must be positive");
        }
        for (Duration d : new Duration[] {unusedAfter, janitorInterval}) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("MEDIA_UNUSED_AFTER and MEDIA_JANITOR_INTERVAL must be positive");
            }
        }
    }

    public static MediaConfig from(Settings settings) {
        Optional<S3Storage> storage = settings.find(S3_ENDPOINT).map(endpoint -> new S3Storage(URI.create(endpoint),
                settings.get(S3_REGION), settings.get(S3_BUCKET), settings.find(S3_ACCESS_KEY),
                settings.find(S3_SECRET_KEY)));
        return new MediaConfig(storage, settings.get(MAX_BYTES), settings.get(THUMBNAIL_WORKERS),
                settings.get(MAX_MEGAPIXELS) * 1_000_000L, settings.get(UNUSED_AFTER), settings.get(JANITOR_INTERVAL));
    }

    public static List<Setting<?>> settings() {
        return List.of(S3_ENDPOINT, S3_REGION, S3_BUCKET, S3_ACCESS_KEY, S3_SECRET_KEY, MAX_BYTES, THUMBNAIL_WORKERS,
                MAX_MEGAPIXELS, UNUSED_AFTER, JANITOR_INTERVAL);
    }

    public MediaConfig withStorage(S3Storage value) {
        return new MediaConfig(Optional.of(value), maxBytes, thumbnailWorkers, maxPixels, unusedAfter, janitorInterval);
    }

    public MediaConfig withMaxBytes(long value) {
        return new MediaConfig(storage, value, thumbnailWorkers, maxPixels, unusedAfter, janitorInterval);
    }

    public MediaConfig withUnusedAfter(Duration value) {
        return new MediaConfig(storage, maxBytes, thumbnailWorkers, maxPixels, value, janitorInterval);
    }
}
