package io.kchat.gateway.messages;

import io.kchat.events.Attachment;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.media.content.ContentTypes;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A send may attach only media its sender uploaded completely (API, D14). The check and the claim are one transaction:
 * the rows are locked, read, and their {@code claimed_at} set, so the janitor, which counts a day from the claim,
 * never deletes the bytes of a send still on its way to the archive.
 *
 * <p>"Not yours", "no such media" and "still uploading" are one refusal: a sender cannot probe for other people's
 * uploads by their ids.
 */
public final class AttachmentCheck implements AttachmentRule {

    private final Database database;

    public AttachmentCheck(Database database) {
        this.database = database;
    }

    /** @throws Refusal 400 a media that is not the sender's complete upload, or a duration on something not audio */
    @Override
    public List<Attachment> claim(String userId, List<AttachmentRequest> requested) {
        if (requested.isEmpty()) {
            return List.of();
        }
        return database.inTransaction(connection -> {
            Map<String, Attachment> found = lockOwned(connection, userId, requested);
            List<Attachment> attachments = new ArrayList<>(requested.size());
            for (int i = 0; i < requested.size(); i++) {
                AttachmentRequest request = requested.get(i);
                Attachment media = found.get(request.mediaId());
                if (media == null) {
                    throw Refusal.invalid("unknown attachment", "attachments[" + i + "].mediaId is not a complete "
                            + "upload of yours: upload it first (POST /v1/media)");
                }
                if (request.durationMs() != null && !ContentTypes.isAudio(media.getContentType())) {
                    throw Refusal.invalid("invalid attachments",
                            "attachments[" + i + "].durationMs is only for audio (a voice note)");
                }
                attachments.add(Attachment.newBuilder(media).setName(request.name())
                        .setDurationMs(request.durationMs()).build());
            }
            markClaimed(connection, requested);
            return List.copyOf(attachments);
        });
    }

    private static Map<String, Attachment> lockOwned(Connection connection, String userId,
                                                     List<AttachmentRequest> requested) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT media_id, content_type, size, width, height FROM media
                 WHERE media_id = ANY (?) AND owner_id = ? AND state = 'complete' AND size IS NOT NULL
                 FOR UPDATE""")) {
            statement.setArray(1, connection.createArrayOf("text", mediaIds(requested)));
            statement.setString(2, userId);
            Map<String, Attachment> found = new HashMap<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.put(rows.getString(1), new Attachment(rows.getString(1), rows.getString(2), rows.getLong(3),
                            null, (Integer) rows.getObject(4), (Integer) rows.getObject(5), null));
                }
            }
            return found;
        }
    }

    private static void markClaimed(Connection connection, List<AttachmentRequest> requested) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE media SET claimed_at = now() WHERE media_id = ANY (?)")) {
            statement.setArray(1, connection.createArrayOf("text", mediaIds(requested)));
            statement.executeUpdate();
        }
    }

    private static Object[] mediaIds(List<AttachmentRequest> requested) {
        return requested.stream().map(AttachmentRequest::mediaId).toArray();
    }
}
