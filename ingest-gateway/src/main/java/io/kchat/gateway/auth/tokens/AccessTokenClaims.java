package io.kchat.gateway.auth.tokens;

import java.time.Instant;

/** What a verified access token says: who, from which device, in which login ({@code sid}), until when. */
public record AccessTokenClaims(String userId, String deviceId, String sessionId, Instant expiresAt) {

    public AuthenticatedDevice device() {
        return new AuthenticatedDevice(userId, deviceId, expiresAt);
    }
}
