package io.kchat.gateway.auth.tokens;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * One Ed25519 access-token signing key. Its {@code kid} is the RFC 7638 thumbprint of its public JWK,
 * so two gateways never name different keys alike.
 */
public record SigningKey(String kid, PrivateKey privateKey, PublicKey publicKey, Instant createdAt) {

    public static final String ALGORITHM = "EdDSA";
    static final String CURVE = "Ed25519";
    /** X.509 SubjectPublicKeyInfo of an Ed25519 key: a fixed 12-byte prefix, then the raw 32-byte key. */
    private static final int SPKI_PREFIX = 12;
    private static final int RAW_KEY_BYTES = 32;
    /** A base64url SHA-256 thumbprint: anything else cannot be one of our kids and is refused unseen. */
    private static final Pattern KID = Pattern.compile("[A-Za-z0-9_-]{43}");

    public static SigningKey generate(Instant now) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance(CURVE).generateKeyPair();
            return new SigningKey(thumbprint(pair.getPublic()), pair.getPrivate(), pair.getPublic(), now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate Ed25519 keys", e);
        }
    }

    public static boolean isWellFormedKid(String kid) {
        return kid != null && KID.matcher(kid).matches();
    }

    /** From the PKCS#8 and X.509 encodings stored in signing_keys. */
    public static SigningKey decode(String kid, byte[] pkcs8, byte[] x509, Instant createdAt) {
        try {
            KeyFactory factory = KeyFactory.getInstance(CURVE);
            return new SigningKey(kid, factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)),
                    factory.generatePublic(new X509EncodedKeySpec(x509)), createdAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("signing key " + kid + " cannot be decoded", e);
        }
    }

    /** The JWK {@code x} member: the raw public key, base64url. */
    public String publicX() {
        byte[] spki = publicKey.getEncoded();
        if (spki.length != SPKI_PREFIX + RAW_KEY_BYTES) {
            throw new IllegalStateException("unexpected Ed25519 public key encoding (" + spki.length + " bytes)");
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOfRange(spki, SPKI_PREFIX, spki.length));
    }

    private static String thumbprint(PublicKey publicKey) {
        String x = new SigningKey("", null, publicKey, Instant.EPOCH).publicX();
        // RFC 7638: the required members in lexicographic order, no whitespace
        String canonical = "{\"crv\":\"" + CURVE + "\",\"kty\":\"OKP\",\"x\":\"" + x + "\"}";
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
