package io.kchat.gateway.avatars;

import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.media.MediaKeys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Which media may become an avatar (of a user or a group): a complete image that the one who sets it uploaded. Anyone
 * signed in may download an avatar, so this check is what keeps others' uploads (an attachment of a conversation the
 * caller is not in) from being published that way.
 */
public final class AvatarMedia {

    /** {@code reason} of the 400 for a media id that cannot be an avatar. */
    public static final String UNUSABLE = "media_unusable";
    /**
     * Checks, inside the transaction that then stores the id, that {@code mediaId} can be {@code ownerId}'s avatar. The
     * row is locked against deletion (KEY SHARE, as the foreign key would) so that the janitor cannot remove it between
     * this check and the commit.
     *
     * @throws Refusal 400 {@link #UNUSABLE}, one answer whether the media does not exist, is someone else's, is not
     *                 uploaded completely or is not an image: nobody learns of others' uploads through it
     */
    public void requireUsable(Connection connection, String ownerId, String mediaId) throws SQLException {
        if (!MediaKeys.isWellFormed(mediaId) || !usable(connection, ownerId, mediaId)) {
            throw Refusal.invalid("invalid avatarMediaId", "avatarMediaId must be an image you uploaded completely")
                    .withReason(UNUSABLE);
        }
    }

    private static boolean usable(Connection connection, String ownerId, String mediaId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT 1 FROM media
                WHERE media_id = ? AND owner_id = ? AND state = 'complete' AND content_type LIKE 'image/%'
                FOR KEY SHARE""")) {
            statement.setString(1, mediaId);
            statement.setString(2, ownerId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }
}
