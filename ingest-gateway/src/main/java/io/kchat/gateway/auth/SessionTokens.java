package io.kchat.gateway.auth;

/** What a login or a refresh hands out. */
public record SessionTokens(String userId, String deviceId, IssuedAccessToken accessToken, String refreshToken) {
}
