package io.kchat.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyPair;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class P256Test {

    @Test
    void aGeneratedKeyIsAPointOnTheCurveAndItsSignatureVerifies() {
        KeyPair identity = DeviceKeyPairs.generate();
        byte[] message = DeviceKeyPairs.raw(DeviceKeyPairs.generate());
        byte[] signature = DeviceKeyPairs.sign(identity, message);

        var key = P256.publicKey(DeviceKeyPairs.raw(identity)).orElseThrow();
        assertTrue(P256.verifies(key, message, signature));
        byte[] other = message.clone();
        other[10] ^= 1;
        assertFalse(P256.verifies(key, other, signature), "another message");
        byte[] tampered = signature.clone();
        tampered[0] ^= 1;
        assertFalse(P256.verifies(key, message, tampered), "another signature");
        assertFalse(P256.verifies(key, message, Arrays.copyOf(signature, 70)), "DER-sized, not P1363");
    }

    @Test
    void pointsOffTheCurveOrOutOfRangeOrInAnotherFormAreRefused() {
        byte[] raw = DeviceKeyPairs.raw(DeviceKeyPairs.generate());
        byte[] offCurve = raw.clone();
        offCurve[64] ^= 1; // y changed: not on the curve any more (y and p - y are the only two for this x)
        assertTrue(P256.publicKey(offCurve).isEmpty());

        byte[] compressed = Arrays.copyOf(raw, 33);
        compressed[0] = 0x02;
        assertTrue(P256.publicKey(compressed).isEmpty(), "compressed form");
        byte[] prefix = raw.clone();
        prefix[0] = 0x05;
        assertTrue(P256.publicKey(prefix).isEmpty(), "unknown prefix");
        assertTrue(P256.publicKey(new byte[65]).isEmpty(), "all zeros: not a point");

        BigInteger p = new BigInteger("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff", 16);
        assertFalse(P256.onCurve(p, BigInteger.ZERO), "a coordinate equal to p is out of range");
        assertFalse(P256.onCurve(BigInteger.ONE.negate(), BigInteger.ONE));
    }
}
