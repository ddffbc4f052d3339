package io.kchat.gateway.push;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;

/**
 * One VAPID key pair (RFC 8292): a P-256 key whose public half, the raw uncompressed point, is the
 * {@code applicationServerKey} a browser subscribes with. Its id is the base64url SHA-256 of that point, so two
 * gateways never name different keys alike.
 *
 * @param publicKey the uncompressed point {@code 0x04 || X || Y}, 65 bytes (what vapid_keys.public_key holds)
 */
public record VapidKey(String keyId, PrivateKey privateKey, byte[] publicKey, Instant createdAt) {

    public static final int PUBLIC_KEY_BYTES = 65;
    private static final int COORDINATE_BYTES = 32;

    public static VapidKey generate(Instant now) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            byte[] raw = uncompressed((ECPublicKey) pair.getPublic());
            return new VapidKey(idOf(raw), pair.getPrivate(), raw, now);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JVM cannot generate P-256 keys", e);
        }
    }

    /** From the PKCS#8 private key and the raw point stored in vapid_keys. */
    public static VapidKey decode(String keyId, byte[] pkcs8, byte[] rawPublic, Instant createdAt) {
        try {
            PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
            return new VapidKey(keyId, key, rawPublic.clone(), createdAt);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("VAPID key " + keyId + " cannot be decoded", e);
        }
    }

    /** What {@code GET /v1/push/vapid} hands out: the raw point, base64url without padding. */
    public String publicKeyBase64Url() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(publicKey);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    static byte[] uncompressed(ECPublicKey key) {
        byte[] raw = new byte[PUBLIC_KEY_BYTES];
        raw[0] = 0x04;
        copyCoordinate(key.getW().getAffineX(), raw, 1);
        copyCoordinate(key.getW().getAffineY(), raw, 1 + COORDINATE_BYTES);
        return raw;
    }

    /** Big-endian, left-padded to 32 bytes (BigInteger drops leading zeros and may add a sign byte). */
    private static void copyCoordinate(BigInteger value, byte[] into, int offset) {
        byte[] bytes = value.toByteArray();
        int length = Math.min(bytes.length, COORDINATE_BYTES);
        System.arraycopy(bytes, bytes.length - length, into, offset + COORDINATE_BYTES - length, length);
    }

    private static String idOf(byte[] raw) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(raw);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof VapidKey that && keyId.equals(that.keyId) && createdAt.equals(that.createdAt)
                && Arrays.equals(publicKey, that.publicKey);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode();
    }

    @Override
    public String toString() {
        return "VapidKey[" + keyId + ", created " + createdAt + "]";
    }
}
