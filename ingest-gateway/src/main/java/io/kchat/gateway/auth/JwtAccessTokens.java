package io.kchat.gateway.auth;

import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.security.SignatureException;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.UUID;

/**
 * Access tokens: Ed25519-signed JWTs ({@code typ: at+jwt}, RFC 9068 style) carrying {@code sub} (user),
 * {@code did} (device) and {@code sid} (the login's refresh family). Verification pins the one
 * algorithm and refuses any header that would let the token choose its own key (jku, x5u, jwk).
 */
public final class JwtAccessTokens implements AccessTokenVerifier {

    static final String TYPE = "at+jwt";
    static final String DEVICE_CLAIM = "did";
    static final String SESSION_CLAIM = "sid";

    private final KeyRing keys;
    private final AuthConfig config;
    private final Clock clock;
    private final JwtParser parser;

    public JwtAccessTokens(KeyRing keys, AuthConfig config, Clock clock) {
        this.keys = keys;
        this.config = config;
        this.clock = clock;
        this.parser = Jwts.parser()
                .keyLocator(new PinnedKeyLocator())
                .sig().clear().add(Jwts.SIG.EdDSA).and()
                .requireIssuer(config.issuer())
                .requireAudience(config.audience())
                .clockSkewSeconds(AuthConfig.CLOCK_SKEW.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    public IssuedAccessToken issue(String userId, String deviceId, String sessionId) {
        SigningKey key = keys.current();
        Instant now = clock.instant();
        String token = Jwts.builder()
                .header().keyId(key.kid()).type(TYPE).and()
                .issuer(config.issuer())
                .audience().add(config.audience()).and()
                .subject(userId)
                .claim(DEVICE_CLAIM, deviceId)
                .claim(SESSION_CLAIM, sessionId)
                .issuedAt(Date.from(now))
                .expiration(Date.from(now.plus(config.accessTtl())))
                .id(UUID.randomUUID().toString())
                .signWith(key.privateKey(), Jwts.SIG.EdDSA)
                .compact();
        return new IssuedAccessToken(token, config.accessTtl());
    }

    @Override
    public AuthenticatedDevice verify(String token) throws InvalidTokenException {
        return verifyClaims(token).device();
    }

    /** As {@link #verify}, with the login ({@code sid}) the token belongs to. */
    public AccessTokenClaims verifyClaims(String token) throws InvalidTokenException {
        if (token == null || token.isBlank()) {
            throw new InvalidTokenException("missing access token");
        }
        Jws<Claims> jws;
        try {
            jws = parser.parseSignedClaims(token);
        } catch (JwtException | IllegalArgumentException e) {
            throw new InvalidTokenException("invalid access token", e);
        }
        String type = jws.getHeader().getType();
        if (type == null || !(TYPE.equals(type.toLowerCase(Locale.ROOT))
                || ("application/" + TYPE).equals(type.toLowerCase(Locale.ROOT)))) {
            throw new InvalidTokenException("not an access token");
        }
        Claims claims = jws.getPayload();
        Date expiration = claims.getExpiration();
        String userId = claims.getSubject();
        String deviceId = claims.get(DEVICE_CLAIM, String.class);
        String sessionId = claims.get(SESSION_CLAIM, String.class);
        if (expiration == null || isBlank(userId) || isBlank(deviceId) || isBlank(sessionId)) {
            throw new InvalidTokenException("access token lacks exp, sub, did or sid");
        }
        return new AccessTokenClaims(userId, deviceId, sessionId, expiration.toInstant());
    }

    private static boolean isBlank(String value) {
        return value == null || value.isBlank();
    }

    /** Picks the verification key by kid, after refusing every header the token must not control. */
    private final class PinnedKeyLocator extends LocatorAdapter<Key> {
        @Override
        protected Key locate(JwsHeader header) {
            if (!SigningKey.ALGORITHM.equals(header.getAlgorithm())) {
                throw new SignatureException("algorithm " + header.getAlgorithm() + " not accepted");
            }
            if (header.getJwkSetUrl() != null || header.getX509Url() != null || header.getJwk() != null
                    || header.getX509Chain() != null) {
                throw new SignatureException("token-supplied keys (jku, x5u, jwk, x5c) are not accepted");
            }
            String kid = header.getKeyId();
            if (kid == null) {
                throw new SignatureException("token has no kid");
            }
            return keys.verificationKey(kid)
                    .map(k -> (Key) k.publicKey())
                    .orElseThrow(() -> new SignatureException("unknown kid"));
        }
    }
}
