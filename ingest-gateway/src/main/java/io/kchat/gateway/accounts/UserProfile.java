package io.kchat.gateway.accounts;

/**
 * The public profile; {@code username} is null for OTP accounts that have not chosen one yet, {@code avatarMediaId}
 * (the media id of the user's avatar image) null when none is set.
 */
public record UserProfile(String userId, String username, String displayName, String avatarMediaId) {

    /** A profile without an avatar, as every account starts. */
    public UserProfile(String userId, String username, String displayName) {
        this(userId, username, displayName, null);
    }
}
