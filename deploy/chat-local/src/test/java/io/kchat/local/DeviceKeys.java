package io.kchat.local;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

/**
 * A device's key bundle for {@code PUT /v1/keys}, made as a WebCrypto client makes it: P-256 raw uncompressed points,
 * the signed pre-key signed by the identity key (P1363), everything base64url.
 */
final class DeviceKeys {

    private DeviceKeys() {
    }

    /** A fresh identity key, signed pre-key "spk-1" and {@code oneTime} one-time pre-keys, as the request body. */
    static String bundle(int oneTime) {
        KeyPair identity = generate();
        KeyPair signedPreKey = generate();
        StringBuilder oneTimeKeys = new StringBuilder();
        for (int i = 0; i < oneTime; i++) {
            oneTimeKeys.append(i == 0 ? "" : ",").append("{\"keyId\":\"otk-").append(i).append("\",\"publicKey\":\"")
                    .append(base64(raw(generate()))).append("\"}");
        }
        return "{\"identityKey\":\"" + base64(raw(identity)) + "\",\"signedPreKey\":{\"keyId\":\"spk-1\",\"publicKey\":\""
                + base64(raw(signedPreKey)) + "\",\"signature\":\"" + base64(sign(identity, raw(signedPreKey)))
                + "\"},\"oneTimePreKeys\":[" + oneTimeKeys + "]}";
    }

    static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] raw(KeyPair pair) {
        ECPublicKey key = (ECPublicKey) pair.getPublic();
        byte[] raw = new byte[65];
        raw[0] = 0x04;
        coordinate(key.getW().getAffineX().toByteArray(), raw, 1);
        coordinate(key.getW().getAffineY().toByteArray(), raw, 33);
        return raw;
    }

    /** Big-endian, left-padded to 32 bytes (toByteArray may add a sign byte or drop leading zeros). */
    private static void coordinate(byte[] value, byte[] into, int at) {
        int length = Math.min(value.length, 32);
        System.arraycopy(value, value.length - length, into, at + 32 - length, length);
    }

    private static byte[] sign(KeyPair signer, byte[] message) {
        try {
            Signature signature = Signature.getInstance("SHA256withECDSAinP1363Format");
            signature.initSign(signer.getPrivate());
            signature.update(message);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
