package io.kchat.gateway.avatars;

import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.media.MediaKeys;
import java.time.Instant;

/** Media rows written directly, as an upload leaves them: the avatar checks read nothing else (no object store). */
public final class MediaRows {

    private final ReadModelRows rows;

    public MediaRows(ReadModelRows rows) {
        this.rows = rows;
    }

    /** A complete PNG of {@code ownerId}; returns its id. */
    public String image(String ownerId) {
        return insert(ownerId, "complete", "image/png");
    }

    /** A complete upload of another type (a PDF, a voice note...). */
    public String complete(String ownerId, String contentType) {
        return insert(ownerId, "complete", contentType);
    }

    /** An image still being uploaded: no size, hash or completion yet. */
    public String uploading(String ownerId) {
        String mediaId = MediaKeys.newId();
        rows.update("INSERT INTO media (media_id, owner_id, state, content_type) VALUES (?, ?, 'uploading', 'image/png')",
                mediaId, ownerId);
        return mediaId;
    }

    private String insert(String ownerId, String state, String contentType) {
        String mediaId = MediaKeys.newId();
        rows.update("""
                INSERT INTO media (media_id, owner_id, state, content_type, size, sha256, width, height, completed_at)
                VALUES (?, ?, ?, ?, 1234, repeat('ab', 32), 64, 64, ?)""",
                mediaId, ownerId, state, contentType, Instant.now());
        return mediaId;
    }
}
