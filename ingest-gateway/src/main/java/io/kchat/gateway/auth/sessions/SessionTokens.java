package io.kchat.gateway.auth.sessions;

import io.kchat.gateway.auth.tokens.IssuedAccessToken;

/** What a login or a refresh hands out. */
public record SessionTokens(String userId, String deviceId, IssuedAccessToken accessToken, String refreshToken) {
}
