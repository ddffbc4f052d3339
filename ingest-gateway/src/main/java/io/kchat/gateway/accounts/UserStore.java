package io.kchat.gateway.accounts;

import io.kchat.gateway.db.Timestamps;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The users table. Username uniqueness is case-insensitive (unique index on lower(username)). Every account is a
 * person but one, the assistant's ({@code kind = 'assistant'}, V11): it is found by id for its profile, never by the
 * lookups that find or connect people (search, group members, {@link #lockPerson}).
 */
public final class UserStore {

    public void insert(Connection connection, UserProfile user, Instant createdAt) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "INSERT INTO users (user_id, username, display_name, created_at) VALUES (?, ?, ?, ?)")) {
            statement.setString(1, user.userId());
            statement.setString(2, user.username());
            statement.setString(3, user.displayName());
            Timestamps.set(statement, 4, createdAt);
            statement.executeUpdate();
        }
    }

    public Optional<UserProfile> find(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT user_id, username, display_name, avatar_media_id FROM users WHERE user_id = ?")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(profile(rows)) : Optional.empty();
            }
        }
    }

    /** Of the given ids, those of people that exist (the assistant's is never among them). */
    public Set<String> existingPeople(Connection connection, Collection<String> userIds) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT user_id FROM users WHERE user_id = ANY (?) AND kind = 'person'")) {
            statement.setArray(1, connection.createArrayOf("text", userIds.toArray()));
            try (ResultSet rows = statement.executeQuery()) {
                Set<String> found = new HashSet<>();
                while (rows.next()) {
                    found.add(rows.getString(1));
                }
                return found;
            }
        }
    }

    /** People whose username or display name starts with {@code prefix}, ignoring case. */
    public List<UserProfile> searchByPrefix(Connection connection, String prefix, int limit) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT user_id, username, display_name, avatar_media_id FROM users
                WHERE (lower(username) LIKE ? ESCAPE '\\' OR lower(display_name) LIKE ? ESCAPE '\\')
                  AND kind = 'person'
                ORDER BY lower(coalesce(username, display_name)), user_id
                LIMIT ?""")) {
            String pattern = likeEscape(prefix.toLowerCase(Locale.ROOT)) + "%";
            statement.setString(1, pattern);
            statement.setString(2, pattern);
            statement.setInt(3, limit);
            try (ResultSet rows = statement.executeQuery()) {
                List<UserProfile> users = new ArrayList<>();
                while (rows.next()) {
                    users.add(profile(rows));
                }
                return users;
            }
        }
    }

    /** Sets the non-null fields; the caller maps a unique violation to "username taken". */
    public Optional<UserProfile> update(Connection connection, String userId, String username, String displayName)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                UPDATE users SET username = coalesce(?, username), display_name = coalesce(?, display_name)
                WHERE user_id = ? RETURNING user_id, username, display_name, avatar_media_id""")) {
            statement.setString(1, username);
            statement.setString(2, displayName);
            statement.setString(3, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(profile(rows)) : Optional.empty();
            }
        }
    }

    /**
     * Sets the user's avatar, or removes it ({@code mediaId} null); the caller checked the media
     * ({@code avatars.AvatarMedia}). An avatar keeps its media from the janitor for as long as it is one.
     */
    public void setAvatar(Connection connection, String userId, String mediaId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE users SET avatar_media_id = ? WHERE user_id = ?")) {
            statement.setString(1, mediaId);
            statement.setString(2, userId);
            statement.executeUpdate();
        }
    }

    /** The user's {@link DmPolicy}; empty for an unknown user. */
    public Optional<DmPolicy> dmPolicy(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT dm_policy FROM users WHERE user_id = ?")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? DmPolicy.fromWire(rows.getString(1)) : Optional.empty();
            }
        }
    }

    public void setDmPolicy(Connection connection, String userId, DmPolicy policy) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "UPDATE users SET dm_policy = ? WHERE user_id = ?")) {
            statement.setString(1, policy.wireName());
            statement.setString(2, userId);
            statement.executeUpdate();
        }
    }

    /** Serialises changes to one user's sessions (device cap) without blocking foreign-key checks. */
    public boolean lock(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM users WHERE user_id = ? FOR NO KEY UPDATE")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** {@link #lock} of a person: false for an unknown id and for the assistant's, which nobody connects to. */
    public boolean lockPerson(Connection connection, String userId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT 1 FROM users WHERE user_id = ? AND kind = 'person' FOR NO KEY UPDATE")) {
            statement.setString(1, userId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static UserProfile profile(ResultSet rows) throws SQLException {
        return new UserProfile(rows.getString("user_id"), rows.getString("username"), rows.getString("display_name"),
                rows.getString("avatar_media_id"));
    }

    static String likeEscape(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
