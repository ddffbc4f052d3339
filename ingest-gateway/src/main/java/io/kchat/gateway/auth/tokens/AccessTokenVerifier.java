package io.kchat.gateway.auth.tokens;

/** Verifies an access token (never a refresh token) as presented by REST calls and WebSocket sessions. */
public interface AccessTokenVerifier {

    /**
     * @param token the compact JWT, without the "Bearer " prefix
     * @throws InvalidTokenException for any token that must not be trusted; the message is safe to show
     */
    AuthenticatedDevice verify(String token) throws InvalidTokenException;
}
