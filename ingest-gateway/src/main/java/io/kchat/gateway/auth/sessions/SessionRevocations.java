package io.kchat.gateway.auth.sessions;

/**
 * Told when a device's session ends (logout, password change elsewhere, refresh-token reuse), after the
 * revocation is committed, so that its open sockets close on whatever node holds them (D5).
 */
@FunctionalInterface
public interface SessionRevocations {
    void revokeDevice(String userId, String deviceId);
}
