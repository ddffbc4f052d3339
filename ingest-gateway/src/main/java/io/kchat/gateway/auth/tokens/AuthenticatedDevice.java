package io.kchat.gateway.auth.tokens;

import java.time.Instant;

/** Who a verified access token speaks for, and until when. */
public record AuthenticatedDevice(String userId, String deviceId, Instant expiresAt) {
}
