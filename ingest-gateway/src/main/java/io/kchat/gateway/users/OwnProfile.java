package io.kchat.gateway.users;

import io.kchat.gateway.accounts.DmPolicy;
import io.kchat.gateway.accounts.UserProfile;

/**
 * The caller's own profile ({@code /v1/users/me}): the public profile and the settings only its owner sees.
 * {@code dmPolicy} is {@code everyone} or {@code contacts}; {@code avatarMediaId} null when no avatar is set.
 */
public record OwnProfile(String userId, String username, String displayName, String avatarMediaId, String dmPolicy) {

    static OwnProfile of(UserProfile profile, DmPolicy policy) {
        return new OwnProfile(profile.userId(), profile.username(), profile.displayName(), profile.avatarMediaId(),
                policy.wireName());
    }
}
