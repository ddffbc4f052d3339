package io.kchat.gateway.auth.tokens;

import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Every access token that must be refused (RFC 8725), as one table that the verifier's unit test and the REST
 * test both run: each row alters a token that would otherwise be accepted.
 */
public final class BadTokens {

    /** One row: a name for the report, and how to make the token from a forge of a valid one. */
    public record BadToken(String name, Function<TokenForge, String> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadTokens() {
    }

    public static List<BadToken> all() {
        SigningKey impostor = SigningKey.generate(Instant.EPOCH);
        PrivateKey rsa = rsaKey();
        return List.of(
                new BadToken("alg none, unsigned", TokenForge::unsigned),
                new BadToken("alg none with our signature", f -> f.ours(h -> h.put("alg", "none"), p -> { })),
                new BadToken("HS256 keyed with our public key (X.509 bytes)", f -> f.hmac(f.key.publicKey().getEncoded())),
                new BadToken("HS256 keyed with our public key (JWK x bytes)",
                        f -> f.hmac(java.util.Base64.getUrlDecoder().decode(f.key.publicX()))),
                new BadToken("RS256 under our kid", f -> f.signedBy(rsa, h -> h.put("alg", "RS256"), p -> { })),
                new BadToken("another Ed25519 key under our kid", f -> f.signedBy(impostor.privateKey(), h -> { }, p -> { })),
                new BadToken("alg Ed25519 instead of EdDSA", f -> f.ours(h -> h.put("alg", "Ed25519"), p -> { })),
                new BadToken("wrong iss", f -> f.ours(h -> { }, p -> p.put("iss", "evil"))),
                new BadToken("no iss", f -> f.ours(h -> { }, p -> p.remove("iss"))),
                new BadToken("wrong aud", f -> f.ours(h -> { }, p -> p.put("aud", List.of("someone-else")))),
                new BadToken("no aud", f -> f.ours(h -> { }, p -> p.remove("aud"))),
                new BadToken("typ JWT", f -> f.ours(h -> h.put("typ", "JWT"), p -> { })),
                new BadToken("typ id+jwt", f -> f.ours(h -> h.put("typ", "id+jwt"), p -> { })),
                new BadToken("no typ", f -> f.ours(h -> h.remove("typ"), p -> { })),
                new BadToken("expired beyond the skew", f -> f.ours(h -> { },
                        p -> p.put("exp", f.now.minusSeconds(120).getEpochSecond()))),
                new BadToken("no exp", f -> f.ours(h -> { }, p -> p.remove("exp"))),
                new BadToken("not valid yet (nbf)", f -> f.ours(h -> { },
                        p -> p.put("nbf", f.now.plusSeconds(300).getEpochSecond()))),
                new BadToken("issued in the future (iat)", f -> f.ours(h -> { }, p -> {
                    p.put("iat", f.now.plusSeconds(300).getEpochSecond());
                    p.put("exp", f.now.plusSeconds(900).getEpochSecond());
                })),
                new BadToken("no sub", f -> f.ours(h -> { }, p -> p.remove("sub"))),
                new BadToken("no did", f -> f.ours(h -> { }, p -> p.remove("did"))),
                new BadToken("no sid", f -> f.ours(h -> { }, p -> p.remove("sid"))),
                new BadToken("unknown kid", f -> f.signedBy(impostor.privateKey(), h -> h.put("kid", impostor.kid()), p -> { })),
                new BadToken("path-like kid", f -> f.ours(h -> h.put("kid", "../../x"), p -> { })),
                new BadToken("SQL-like kid", f -> f.ours(h -> h.put("kid", "' OR 1=1 --"), p -> { })),
                new BadToken("empty kid", f -> f.ours(h -> h.put("kid", ""), p -> { })),
                new BadToken("no kid", f -> f.ours(h -> h.remove("kid"), p -> { })),
                new BadToken("jku header", f -> f.ours(h -> h.put("jku", "https://attacker.example/jwks.json"), p -> { })),
                new BadToken("x5u header", f -> f.ours(h -> h.put("x5u", "https://attacker.example/cert.pem"), p -> { })),
                new BadToken("jwk header with the signer's own key", f -> f.signedBy(impostor.privateKey(),
                        h -> h.put("jwk", Map.of("kty", "OKP", "crv", "Ed25519", "x", impostor.publicX())), p -> { })),
                new BadToken("jwk header with our public key", f -> f.ours(
                        h -> h.put("jwk", Map.of("kty", "OKP", "crv", "Ed25519", "x", f.key.publicX())), p -> { })),
                new BadToken("crit header", f -> f.ours(h -> h.put("crit", List.of("exp")), p -> { })),
                new BadToken("b64 false", f -> f.ours(h -> {
                    h.put("b64", false);
                    h.put("crit", List.of("b64"));
                }, p -> { })),
                new BadToken("zip header", f -> f.ours(h -> h.put("zip", "DEF"), p -> { })),
                new BadToken("tampered payload", f -> {
                    String[] valid = f.valid().split("\\.");
                    String[] other = f.ours(h -> { }, p -> p.put("sub", "someone-else")).split("\\.");
                    return valid[0] + "." + other[1] + "." + valid[2];
                }),
                new BadToken("signature stripped", f -> {
                    String valid = f.valid();
                    return valid.substring(0, valid.lastIndexOf('.') + 1);
                }),
                new BadToken("a refresh token", f -> RefreshTokens.newToken()),
                new BadToken("garbage", f -> "garbage"),
                new BadToken("three empty parts", f -> ".."));
    }

    private static PrivateKey rsaKey() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair().getPrivate();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
