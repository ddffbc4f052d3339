package io.kchat.gateway.media;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.media.content.ContentTypes;
import io.kchat.gateway.media.content.ThumbnailRefusedException;
import io.kchat.gateway.media.content.ThumbnailSize;
import io.kchat.gateway.media.content.Thumbnailer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /v1/media/{id}} and its thumbnails. Authorization is decided at every read (D14, {@link MediaStore}):
 * one answer, 404, for "no such media" and "not yours to read", so an id learns nobody anything.
 */
public final class MediaDownloads {

    private static final Logger log = LoggerFactory.getLogger(MediaDownloads.class);

    private final Database database;
    private final ObjectStore objects;
    private final Thumbnailer thumbnails;
    private final MediaMeters meters;
    private final MediaStore store = new MediaStore();

    public MediaDownloads(Database database, ObjectStore objects, Thumbnailer thumbnails, MediaMeters meters) {
        this.database = database;
        this.objects = objects;
        this.thumbnails = thumbnails;
        this.meters = meters;
    }

    /** What a download answers: the media's row and its bytes (all, or the range asked for). */
    public record Download(MediaRow media, Optional<ByteRange> range, ObjectStore.StoredObject object) {
    }

    /** An encoded thumbnail as served: JPEG, or PNG for an image with transparency. */
    public record Image(byte[] bytes, String contentType) {
    }

    /**
     * @param rangeHeader the request's {@code Range}, or null
     * @throws RangeHeader.Unsatisfiable for a range beyond the end
     */
    public Download original(String userId, String mediaId, String rangeHeader) {
        MediaRow media = readable(userId, mediaId);
        Optional<ByteRange> range = RangeHeader.parse(rangeHeader, media.size());
        ObjectStore.StoredObject object = objects.get(MediaKeys.original(mediaId), range)
                .orElseThrow(() -> missing(mediaId));
        meters.download(object.length());
        return new Download(media, range, object);
    }

    /** A thumbnail, made on first demand and kept in the store beside the original. */
    public Image thumbnail(String userId, String mediaId, ThumbnailSize size) {
        MediaRow media = readable(userId, mediaId);
        if (!ContentTypes.isImage(media.contentType())) {
            throw noThumbnail("only images have thumbnails");
        }
        String key = MediaKeys.thumbnail(mediaId, size.parameter());
        Optional<ObjectStore.StoredObject> kept = objects.get(key, Optional.empty());
        if (kept.isPresent()) {
            try (ObjectStore.StoredObject object = kept.get()) {
                meters.thumbnail(MediaMeters.ThumbnailOutcome.KEPT);
                return new Image(object.content().readAllBytes(), object.contentType());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Optional<ObjectStore.StoredObject> none = objects.get(MediaKeys.noThumbnail(mediaId), Optional.empty());
        if (none.isPresent()) {
            none.get().close();
            meters.thumbnail(MediaMeters.ThumbnailOutcome.NONE);
            throw noThumbnail("refused before");
        }
        Image made = make(media, size);
        objects.put(key, made.contentType(), new ByteArrayInputStream(made.bytes()), made.bytes().length);
        meters.thumbnail(MediaMeters.ThumbnailOutcome.MADE);
        return made;
    }

    private static Refusal noThumbnail(String detail) {
        return Refusal.notFound("no thumbnail", detail).withReason("no_thumbnail");
    }

    private Image make(MediaRow media, ThumbnailSize size) {
        try {
            var thumbnail = thumbnails.make(() -> objects.get(MediaKeys.original(media.mediaId()), Optional.empty())
                    .orElseThrow(() -> new IOException("no object for " + media.mediaId())).content(),
                    media.contentType(), size);
            return new Image(thumbnail.bytes(), thumbnail.contentType());
        } catch (ThumbnailRefusedException e) {
            if (e.reason() == ThumbnailRefusedException.Reason.BUSY
                    || e.reason() == ThumbnailRefusedException.Reason.TIMED_OUT) {
                // the node was too loaded to decode in time: another try may succeed
                meters.thumbnail(MediaMeters.ThumbnailOutcome.BUSY);
                throw Refusal.unavailable("thumbnails are busy: try again shortly");
            }
            // too many pixels or damaged, for good: remembered, so a hostile image costs one decode at most and
            // repeated requests for it cannot keep the decode slots busy
            objects.put(MediaKeys.noThumbnail(media.mediaId()), "application/octet-stream",
                    new ByteArrayInputStream(new byte[0]), 0);
            meters.thumbnail(MediaMeters.ThumbnailOutcome.NONE);
            throw noThumbnail(e.getMessage());
        } catch (IOException e) {
            log.warn("reading media {} for a thumbnail failed", media.mediaId(), e);
            throw Refusal.unavailable("media storage failed");
        }
    }

    private MediaRow readable(String userId, String mediaId) {
        if (!MediaKeys.isWellFormed(mediaId)) {
            throw Refusal.notFound("media not found");
        }
        return database.withConnection(c -> store.readable(c, mediaId, userId))
                .orElseThrow(() -> Refusal.notFound("media not found"));
    }

    private static Refusal missing(String mediaId) {
        // a row without its object: the store lost it, or a janitor run is between its two deletes
        log.warn("media {} has a row but no object", mediaId);
        return Refusal.notFound("media not found");
    }
}
