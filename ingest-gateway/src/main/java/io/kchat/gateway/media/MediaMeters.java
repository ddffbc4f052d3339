package io.kchat.gateway.media;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Media's meters (Prometheus names in docs/observability.md): uploads by {@code outcome} and the bytes stored,
 * downloads and the bytes served, thumbnails by {@code outcome}, uploads the janitor deleted. Tag values are the
 * gateway's own words, never a client's. Thread-safe.
 */
public final class MediaMeters {

    public static final String UPLOADS = "kchat.gateway.media.uploads";
    public static final String UPLOADED_BYTES = "kchat.gateway.media.uploaded.bytes";
    public static final String DOWNLOADS = "kchat.gateway.media.downloads";
    public static final String DOWNLOADED_BYTES = "kchat.gateway.media.downloaded.bytes";
    public static final String THUMBNAILS = "kchat.gateway.media.thumbnails";
    public static final String JANITOR_DELETED = "kchat.gateway.media.janitor.deleted";

    /** How an upload ended: INVALID is empty or truncated, FAILED the store's or the database's fault. */
    public enum UploadOutcome { STORED, TOO_LARGE, UNSUPPORTED_TYPE, INVALID, FAILED }

    /** How a thumbnail request was served. */
    public enum ThumbnailOutcome { MADE, KEPT, NONE, BUSY }

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();

    public MediaMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Counting into a registry nobody reads: for wiring without metrics (tests, tools). */
    public static MediaMeters unread() {
        return new MediaMeters(new SimpleMeterRegistry());
    }

    void upload(UploadOutcome outcome, long bytes) {
        counter(UPLOADS, "outcome", outcome).increment();
        if (outcome == UploadOutcome.STORED) {
            counter(UPLOADED_BYTES, null, null).increment(bytes);
        }
    }

    void download(long bytes) {
        counter(DOWNLOADS, null, null).increment();
        counter(DOWNLOADED_BYTES, null, null).increment(bytes);
    }

    void thumbnail(ThumbnailOutcome outcome) {
        counter(THUMBNAILS, "outcome", outcome).increment();
    }

    void janitorDeleted(int count) {
        counter(JANITOR_DELETED, null, null).increment(count);
    }

    private Counter counter(String name, String tag, Enum<?> value) {
        String wire = value == null ? null : value.name().toLowerCase(java.util.Locale.ROOT);
        return counters.computeIfAbsent(name + "|" + wire, key -> {
            Counter.Builder builder = Counter.builder(name);
            if (tag != null) {
                builder.tag(tag, wire);
            }
            return builder.register(registry);
        });
    }
}
