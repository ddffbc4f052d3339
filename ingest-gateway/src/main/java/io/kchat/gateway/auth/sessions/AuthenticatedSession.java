package io.kchat.gateway.auth.sessions;

/**
 * The caller of an authenticated REST request: a verified access token whose login (refresh family,
 * {@code sessionId}) is still active.
 */
public record AuthenticatedSession(String userId, String deviceId, String sessionId) {
}
