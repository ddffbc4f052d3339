package io.kchat.gateway.accounts;

/** The public profile; {@code username} is null for OTP accounts that have not chosen one yet. */
public record UserProfile(String userId, String username, String displayName) {
}
