package io.kchat.gateway.push;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;

/** What a browser sends: a fresh P-256 point and auth secret, base64url; and ways to spoil them. */
final class PushKeysSamples {

    private PushKeysSamples() {
    }

    /** A real browser key: the uncompressed point of a fresh P-256 key pair. */
    static byte[] p256dh() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            return VapidKey.uncompressed((ECPublicKey) pair.getPublic());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same X with Y changed by one: 65 bytes, 0x04 first, not on the curve. */
    static byte[] offCurve() {
        byte[] point = p256dh();
        point[64] ^= 0x01;
        return point;
    }

    static byte[] auth() {
        byte[] auth = new byte[16];
        Arrays.fill(auth, (byte) 7);
        return auth;
    }

    static String b64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
