package io.kchat.gateway.media;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.io.ByteArrayInputStream;
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
    private final ThumbnailMaker thumbnails;
    private final MediaStore store = new MediaStore();

    public MediaDownloads(Database database, ObjectStore objects, ThumbnailMaker thumbnails) {
        this.database = database;
        this.objects = objects;
        this.thumbnails = thumbnails;
    }

    /** What a download answers: the media's row and its bytes (all, or the range asked for). */
    public record Download(MediaRow media, Optional<ByteRange> range, ObjectStore.StoredObject object) {
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
        return new Download(media, range, object);
    }

    /** A thumbnail, made on first demand and kept in the store beside the original. */
    public ThumbnailMaker.Thumbnail thumbnail(String userId, String mediaId, ThumbnailMaker.ThumbnailSize size) {
        MediaRow media = readable(userId, mediaId);
        if (!media.isImage()) {
            throw Refusal.notFound("no thumbnail", "only images have thumbnails");
        }
        String key = MediaKeys.thumbnail(mediaId, size.wireName());
        Optional<ObjectStore.StoredObject> kept = objects.get(key, Optional.empty());
        if (kept.isPresent()) {
            try (ObjectStore.StoredObject object = kept.get()) {
                return new ThumbnailMaker.Thumbnail(object.content().readAllBytes(), object.contentType());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        ThumbnailMaker.Thumbnail made = thumbnails.make(() -> objects.get(MediaKeys.original(mediaId),
                        Optional.empty()).orElseThrow(() -> missing(mediaId)).content(),
                media.contentType(), size);
        objects.put(key, made.contentType(), new ByteArrayInputStream(made.bytes()), made.bytes().length);
        return made;
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
