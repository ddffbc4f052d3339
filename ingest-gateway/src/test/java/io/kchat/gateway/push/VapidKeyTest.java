package io.kchat.gateway.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.keys.P256;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** A VAPID key is a P-256 pair whose raw point browsers take as applicationServerKey, and which survives storage. */
class VapidKeyTest {

    @Test
    void theRawPublicKeyIsAnUncompressedPointOnTheCurve() {
        VapidKey key = VapidKey.generate(Instant.EPOCH);
        byte[] raw = key.publicKey();
        assertEquals(65, raw.length);
        assertEquals(0x04, raw[0]);
        assertTrue(P256.publicKey(raw).isPresent());
        assertArrayEquals(raw, Base64.getUrlDecoder().decode(key.publicKeyBase64Url()));
        assertTrue(key.publicKeyBase64Url().matches("[A-Za-z0-9_-]{87}"), "base64url without padding");
        assertNotEquals(key.keyId(), VapidKey.generate(Instant.EPOCH).keyId());
    }

    @Test
    void aDecodedKeySignsWhatItsPublicPointVerifies() throws Exception {
        VapidKey key = VapidKey.generate(Instant.parse("2030-01-01T00:00:00Z"));
        VapidKey stored = VapidKey.decode(key.keyId(), key.privateKey().getEncoded(), key.publicKey(),
                key.createdAt());
        assertEquals(key, stored);
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(stored.privateKey());
        signer.update(new byte[] {1, 2, 3});
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(P256.publicKey(stored.publicKey()).orElseThrow());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signature), "the stored private key belongs to the point handed out");
    }
}
