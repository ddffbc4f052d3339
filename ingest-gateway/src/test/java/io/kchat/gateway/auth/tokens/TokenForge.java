package io.kchat.gateway.auth.tokens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Builds JWTs by hand, byte for byte, so that tests can write any header or payload a hostile client could: a
 * token as {@link JwtAccessTokens} would issue it for one login, then altered.
 */
public final class TokenForge {

    private static final ObjectMapper MAPPER = Json.mapper();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    final SigningKey key;
    final String userId;
    final String deviceId;
    final String sessionId;
    final Instant now;

    public TokenForge(SigningKey key, String userId, String deviceId, String sessionId, Instant now) {
        this.key = key;
        this.userId = userId;
        this.deviceId = deviceId;
        this.sessionId = sessionId;
        this.now = now;
    }

    /** What the issuer would have signed. */
    public String valid() {
        return ours(h -> { }, p -> { });
    }

    /** Our header and claims, altered, signed with our key under our kid. */
    public String ours(Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> payload) {
        return signedBy(key.privateKey(), header, payload);
    }

    /** Ed25519-signed with another private key, header and claims altered as given. */
    public String signedBy(PrivateKey privateKey, Consumer<Map<String, Object>> header,
                           Consumer<Map<String, Object>> payload) {
        String input = signingInput(header, payload);
        try {
            Signature signature = Signature.getInstance(privateKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "Ed25519");
            signature.initSign(privateKey);
            signature.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + B64.encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** HMAC-SHA256 with the given bytes as the secret ({@code alg: HS256}). */
    public String hmac(byte[] secret) {
        String input = signingInput(h -> h.put("alg", "HS256"), p -> { });
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return input + "." + B64.encodeToString(mac.doFinal(input.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code alg: none} with an empty signature. */
    public String unsigned() {
        return signingInput(h -> h.put("alg", "none"), p -> { }) + ".";
    }

    private String signingInput(Consumer<Map<String, Object>> header, Consumer<Map<String, Object>> payload) {
        Map<String, Object> h = new LinkedHashMap<>();
        h.put("alg", "EdDSA");
        h.put("typ", "at+jwt");
        h.put("kid", key.kid());
        header.accept(h);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("iss", AuthConfig.DEFAULT_ISSUER);
        p.put("aud", List.of(AuthConfig.DEFAULT_AUDIENCE));
        p.put("sub", userId);
        p.put("did", deviceId);
        p.put("sid", sessionId);
        p.put("iat", now.getEpochSecond());
        p.put("exp", now.plusSeconds(600).getEpochSecond());
        p.put("jti", UUID.randomUUID().toString());
        payload.accept(p);
        return json(h) + "." + json(p);
    }

    private static String json(Map<String, Object> members) {
        try {
            return B64.encodeToString(MAPPER.writeValueAsBytes(members));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
