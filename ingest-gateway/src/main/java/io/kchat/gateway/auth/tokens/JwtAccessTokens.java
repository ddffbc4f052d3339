package io.kchat.gateway.auth.tokens;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jsonwebtoken.Claims;
import io.jsonwebtoken.Jws;
import io.jsonwebtoken.JwsHeader;
import io.jsonwebtoken.JwtException;
import io.jsonwebtoken.JwtParser;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.LocatorAdapter;
import io.jsonwebtoken.jackson.io.JacksonDeserializer;
import io.jsonwebtoken.security.SignatureException;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.json.Json;
import java.security.Key;
import java.time.Clock;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

/**
 * Access tokens: Ed25519-signed JWTs ({@code typ: at+jwt}, RFC 9068 style) carrying {@code sub} (user),
 * {@code did} (device) and {@code sid} (the login's refresh family). Verification follows RFC 8725: the one
 * algorithm is pinned, the header may hold nothing but {@code alg}, {@code kid} and {@code typ} (so no
 * token-supplied key or key location — jku, x5u, jwk, x5c — no {@code crit}, {@code zip} or {@code b64}), the
 * {@code kid} must have the shape of our key ids before it is looked up, and {@code iss}, {@code aud},
 * {@code typ}, {@code exp}, {@code nbf} and {@code iat} are all checked (with {@link AuthConfig#CLOCK_SKEW}).
 */
public final class JwtAccessTokens implements AccessTokenVerifier {

    static final String TYPE = "at+jwt";
    static final String DEVICE_CLAIM = "did";
    static final String SESSION_CLAIM = "sid";
    private static final Set<String> ALLOWED_HEADERS = Set.of("alg", "kid", "typ");

    private final KeyRing keys;
    private final AuthConfig config;
    private final Clock clock;
    private final JwtParser parser;

    public JwtAccessTokens(KeyRing keys, AuthConfig config, Clock clock) {
        this.keys = keys;
        this.config = config;
        this.clock = clock;
        this.parser = Jwts.parser()
                .json(new JacksonDeserializer<>(tokenJson()))
                .keyLocator(new PinnedKeyLocator())
                .sig().clear().add(Jwts.SIG.EdDSA).and()
                .requireIssuer(config.issuer())
                .requireAudience(config.audience())
                .clockSkewSeconds(AuthConfig.CLOCK_SKEW.toSeconds())
                .clock(() -> Date.from(clock.instant()))
                .build();
    }

    /**
     * jjwt's own reading configuration (duplicate names refused, unknown ones ignored), with the gateway's shared
     * buffer pool instead of Jackson's per-thread one: tokens are verified on the connection's virtual thread, which a
     * WebSocket keeps for its whole life (see {@link Json#buffers()}).
     */
    private static ObjectMapper tokenJson() {
        return new ObjectMapper(JsonFactory.builder().recyclerPool(Json.buffers()).build())
                .configure(JsonParser.Feature.STRICT_DUPLICATE_DETECTION, true)
                .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
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
        Date issuedAt;
        Date expiration;
        String userId;
        String deviceId;
        String sessionId;
        try {
            issuedAt = claims.getIssuedAt();
            expiration = claims.getExpiration();
            userId = claims.getSubject();
            deviceId = claims.get(DEVICE_CLAIM, String.class);
            sessionId = claims.get(SESSION_CLAIM, String.class);
        } catch (JwtException | ClassCastException e) {
            // signed by us, yet a claim has another type (RequiredTypeException): a token we would never issue
            throw new InvalidTokenException("access token claims of the wrong type", e);
        }
        if (issuedAt != null && issuedAt.toInstant().isAfter(clock.instant().plus(AuthConfig.CLOCK_SKEW))) {
            throw new InvalidTokenException("access token issued in the future");
        }
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
            if (!ALLOWED_HEADERS.containsAll(header.keySet())) {
                throw new SignatureException("header parameters other than alg, kid and typ are not accepted");
            }
            String kid = header.getKeyId();
            if (!SigningKey.isWellFormedKid(kid)) {
                throw new SignatureException("token has no kid or a malformed one");
            }
            return keys.verificationKey(kid)
                    .map(k -> (Key) k.publicKey())
                    .orElseThrow(() -> new SignatureException("unknown kid"));
        }
    }
}
