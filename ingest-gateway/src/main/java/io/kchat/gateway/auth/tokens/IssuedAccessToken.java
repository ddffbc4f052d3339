package io.kchat.gateway.auth.tokens;

import java.time.Duration;

/** A freshly signed access token and its lifetime ({@code expiresIn} on the wire, in seconds). */
public record IssuedAccessToken(String token, Duration lifetime) {

    public long expiresInSeconds() {
        return lifetime.toSeconds();
    }
}
