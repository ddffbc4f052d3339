package io.kchat.gateway.auth.tokens;

import java.util.List;
import java.util.Map;

/** The JWK set of the access-token verification keys (RFC 7517, OKP keys per RFC 8037). */
public final class JwksDocument {

    private JwksDocument() {
    }

    public record Jwk(String kty, String crv, String x, String kid, String alg, String use) {
    }

    public static Map<String, List<Jwk>> of(KeyRing keys) {
        return Map.of("keys", keys.verificationKeys().stream()
                .map(k -> new Jwk("OKP", SigningKey.CURVE, k.publicX(), k.kid(), SigningKey.ALGORITHM, "sig"))
                .toList());
    }
}
