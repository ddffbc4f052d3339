package io.kchat.gateway.keys;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/** Real P-256 keys made as a WebCrypto client makes them: raw uncompressed points, P1363 signatures, base64url. */
public final class DeviceKeyPairs {

    private DeviceKeyPairs() {
    }

    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] raw(KeyPair pair) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        byte[] raw = new byte[65];
        raw[0] = 0x04;
        copy(key.getW().getAffineX().toByteArray(), raw, 1);
        copy(key.getW().getAffineY().toByteArray(), raw, 33);
        return raw;
    }

    static String rawBase64(KeyPair pair) {
        return base64(raw(pair));
    }

    static byte[] sign(KeyPair signer, byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(signer.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** A bundle: the identity key signing the signed pre-key, and {@code oneTime} one-time pre-keys "otk-<i>". */
    public static String bundle(KeyPair identity, KeyPair signedPreKey, String signedId, int firstOneTime, int oneTime) {
        StringBuilder keys = new StringBuilder();
        for (int i = firstOneTime; i < firstOneTime + oneTime; i++) {
            keys.append(keys.isEmpty() ? "" : ",").append("{\"keyId\":\"otk-").append(i).append("\",\"publicKey\":\"")
                    .append(rawBase64(generate())).append("\"}");
        }
        return "{\"identityKey\":\"" + rawBase64(identity) + "\",\"signedPreKey\":{\"keyId\":\"" + signedId
                + "\",\"publicKey\":\"" + rawBase64(signedPreKey) + "\",\"signature\":\""
                + base64(sign(identity, raw(signedPreKey))) + "\"},\"oneTimePreKeys\":[" + keys + "]}";
    }

    /** Big-endian coordinate, left-padded to 32 bytes (toByteArray may add a sign byte or drop leading zeros). */
    private static void copy(byte[] coordinate, byte[] into, int at) {
        int length = Math.min(coordinate.length, 32);
        System.arraycopy(coordinate, coordinate.length - length, into, at + 32 - length, length);
    }
}
