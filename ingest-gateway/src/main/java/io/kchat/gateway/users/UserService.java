package io.kchat.gateway.users;

import io.kchat.gateway.accounts.DisplayNames;
import io.kchat.gateway.accounts.DmPolicy;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.accounts.Usernames;
import io.kchat.gateway.avatars.AvatarChange;
import io.kchat.gateway.avatars.AvatarMedia;
import io.kchat.gateway.db.DataAccessException;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.db.SqlStates;
import io.kchat.gateway.errors.Refusal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** Profiles: reading, changing one's own, and finding people by prefix. */
public final class UserService {

    public static final int DEFAULT_SEARCH_LIMIT = 20;
    public static final int MAX_SEARCH_LIMIT = 50;
    private static final int MAX_QUERY_LENGTH = 64;

    private final Database database;
    private final UserStore users = new UserStore();
    private final AvatarMedia avatarMedia = new AvatarMedia();

    public UserService(Database database) {
        this.database = database;
    }

    /** @throws Refusal 404 */
    public UserProfile get(String userId) {
        return database.withConnection(c -> users.find(c, userId))
                .orElseThrow(() -> Refusal.notFound("user not found"));
    }

    /** @throws Refusal 404 */
    public OwnProfile me(String userId) {
        return database.withConnection(c -> own(c, userId));
    }

    /**
     * Changes the given fields only: a null argument keeps the field; {@code avatar} {@link AvatarChange#CLEAR} removes
     * the avatar.
     *
     * @throws Refusal 400 invalid, or an avatar that is not a complete image the user uploaded
     *                 ({@link AvatarMedia#UNUSABLE}), 409 username taken
     */
    public OwnProfile update(String userId, String username, String displayName, String dmPolicy,
                             AvatarChange avatar) {
        String newUsername = username == null ? null : Usernames.require(username);
        String newDisplayName = displayName == null ? null : DisplayNames.require(displayName);
        DmPolicy newPolicy = dmPolicy == null ? null : DmPolicy.fromWire(dmPolicy).orElseThrow(
                () -> Refusal.invalid("invalid dmPolicy", "dmPolicy must be \"everyone\" or \"contacts\""));
        try {
            return database.inTransaction(c -> {
                users.update(c, userId, newUsername, newDisplayName)
                        .orElseThrow(() -> Refusal.notFound("user not found"));
                if (newPolicy != null) {
                    users.setDmPolicy(c, userId, newPolicy);
                }
                if (avatar != null) {
                    if (!avatar.clears()) {
                        avatarMedia.requireUsable(c, userId, avatar.mediaId());
                    }
                    users.setAvatar(c, userId, avatar.mediaId());
                }
                return own(c, userId);
            });
        } catch (DataAccessException e) {
            if (e.getCause() instanceof SQLException sql && SqlStates.isUniqueViolation(sql)) {
                throw Refusal.conflict("username taken", "choose another username");
            }
            throw e;
        }
    }

    private OwnProfile own(Connection connection, String userId) throws SQLException {
        UserProfile profile = users.find(connection, userId).orElseThrow(() -> Refusal.notFound("user not found"));
        return OwnProfile.of(profile, users.dmPolicy(connection, userId).orElseThrow());
    }

    /** @throws Refusal 400 for a missing or overlong query */
    public List<UserProfile> search(String query, int limit) {
        if (query == null || query.isBlank()) {
            throw Refusal.invalid("invalid query", "query is required");
        }
        String prefix = query.strip();
        if (prefix.length() > MAX_QUERY_LENGTH) {
            throw Refusal.invalid("invalid query", "query must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        int bounded = Math.min(limit, MAX_SEARCH_LIMIT);
        if (bounded < 1) {
            throw Refusal.invalid("invalid limit", "limit must be between 1 and " + MAX_SEARCH_LIMIT);
        }
        return database.withConnection(c -> users.searchByPrefix(c, prefix, bounded));
    }
}
