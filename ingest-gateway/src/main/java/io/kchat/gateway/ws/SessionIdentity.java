package io.kchat.gateway.ws;

/** Who an authenticated socket speaks for; {@code sessionId} is random per socket and names it in routes. */
record SessionIdentity(String userId, String deviceId, String sessionId) {
}
