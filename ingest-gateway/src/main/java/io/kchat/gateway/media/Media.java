package io.kchat.gateway.media;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.media.content.ContentSniffer;
import io.kchat.gateway.media.content.ImageProbe;
import io.kchat.gateway.media.content.Thumbnailer;
import java.time.Clock;

/**
 * The media feature of one gateway (D14), wired: uploads and downloads over the configured object store, and the
 * janitor. Without S3_ENDPOINT the routes exist and answer 503 (never a silent drop), and no janitor runs.
 */
public final class Media implements AutoCloseable {

    private final MediaUploads uploads;
    private final MediaDownloads downloads;
    private final ObjectStore objects;
    private final MediaJanitor janitor;

    private Media(MediaUploads uploads, MediaDownloads downloads, ObjectStore objects, MediaJanitor janitor) {
        this.uploads = uploads;
        this.downloads = downloads;
        this.objects = objects;
        this.janitor = janitor;
    }

    /** Without an object store: the routes answer 503. */
    public static Media unconfigured() {
        return new Media(null, null, null, null);
    }

    public static Media start(MediaConfig config, Database database, MediaMeters meters, Clock clock) {
        if (config.storage().isEmpty()) {
            return unconfigured();
        }
        ObjectStore objects = S3ObjectStore.connect(config.storage().get());
        MediaJanitor janitor = new MediaJanitor(database, objects, config.unusedAfter(), meters, clock)
                .start(config.janitorInterval());
        return new Media(new MediaUploads(database, objects, new ContentSniffer(), new ImageProbe(), config.maxBytes(),
                        meters, clock),
                new MediaDownloads(database, objects, new Thumbnailer(config.thumbnailWorkers(), config.maxPixels()),
                        meters),
                objects, janitor);
    }

    public boolean available() {
        return objects != null;
    }

    public MediaUploads uploads() {
        return uploads;
    }

    public MediaDownloads downloads() {
        return downloads;
    }

    public ObjectStore objects() {
        return objects;
    }

    @Override
    public void close() {
        if (janitor != null) {
            janitor.close();
        }
        if (objects instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception e) {
                throw new IllegalStateException("closing the object store failed", e);
            }
        }
    }
}
