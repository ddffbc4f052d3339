package io.kchat.gateway.media;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.media.content.ThumbnailSize;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes uploads nobody uses (API: after a day) and what failed uploads left. Every gateway runs one; rows are taken
 * with {@code SKIP LOCKED}, so they share the work without coordination. Objects go first, rows last, in one
 * transaction holding the rows: a crash in between leaves rows whose objects are gone, which the next run deletes
 * again (deleting a missing object is no error); never a row pointing nowhere that someone could still attach.
 */
public final class MediaJanitor implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaJanitor.class);
    /** An upload still 'uploading' after this died with its gateway: no upload of MEDIA_MAX_BYTES takes so long. */
    static final Duration ABANDONED_AFTER = Duration.ofHours(1);
    private static final int BATCH = 100;

    private final Database database;
    private final ObjectStore objects;
    private final Duration unusedAfter;
    private final MediaMeters meters;
    private final Clock clock;
    private final MediaStore store = new MediaStore();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("media-janitor").daemon().factory());

    public MediaJanitor(Database database, ObjectStore objects, Duration unusedAfter, MediaMeters meters, Clock clock) {
        this.database = database;
        this.objects = objects;
        this.unusedAfter = unusedAfter;
        this.meters = meters;
        this.clock = clock;
    }

    /** Runs every {@code interval}, the first run at a random point of the first interval (gateways spread out). */
    public MediaJanitor start(Duration interval) {
        long first = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis()));
        timer.scheduleWithFixedDelay(this::runLogged, first, interval.toMillis(), TimeUnit.MILLISECONDS);
        return this;
    }

    /** One pass: deletes batches until none is left; returns how many uploads it deleted. */
    public int sweep() {
        int deleted = 0;
        int batch;
        do {
            batch = sweepBatch();
            deleted += batch;
        } while (batch == BATCH);
        return deleted;
    }

    private int sweepBatch() {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            List<String> ids = store.lockUnused(connection, now.minus(unusedAfter), now.minus(ABANDONED_AFTER), BATCH);
            for (String id : ids) {
                objects.delete(MediaKeys.original(id));
                for (ThumbnailSize size : ThumbnailSize.values()) {
                    objects.delete(MediaKeys.thumbnail(id, size.parameter()));
                }
                objects.delete(MediaKeys.noThumbnail(id));
            }
            if (!ids.isEmpty()) {
                store.deleteAll(connection, ids);
            }
            return ids.size();
        });
    }

    private void runLogged() {
        try {
            int deleted = sweep();
            meters.janitorDeleted(deleted);
            if (deleted > 0) {
                log.info("media janitor deleted {} unused uploads", deleted);
            }
        } catch (RuntimeException e) {
            // the next run tries again; a store or database outage must not end the timer
            log.warn("media janitor run failed", e);
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
