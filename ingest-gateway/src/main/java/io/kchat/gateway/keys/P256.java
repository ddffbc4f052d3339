package io.kchat.gateway.keys;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.EllipticCurve;
import java.util.Arrays;
import java.util.Optional;

/**
 * P-256 public keys and signatures in the forms the API carries (and WebCrypto produces): a key is the raw uncompressed
 * point, {@code 0x04 || X || Y}, 65 bytes; a signature is ECDSA with SHA-256 in the IEEE P1363 form {@code r || s},
 * 64 bytes. A point is checked to be on the curve here, not left to the provider: a key off the curve is the classic
 * invalid-curve attack on ECDH, and whoever claims the key would do that ECDH. Public for the other raw P-256 keys the
 * API takes: a web push subscription's {@code p256dh}, which the push sender does ECDH with (RFC 8291).
 */
public final class P256 {

    public static final int RAW_KEY_BYTES = 65;
    static final int SIGNATURE_BYTES = 64;
    private static final int COORDINATE_BYTES = 32;
    private static final ECParameterSpec PARAMETERS = parameters();
    private static final EllipticCurve CURVE = PARAMETERS.getCurve();
    private static final BigInteger P = ((ECFieldFp) CURVE.getField()).getP();

    private P256() {
    }

    /** The public key of a raw point, or empty when the bytes are not a point of P-256 (nor its identity). */
    public static Optional<PublicKey> publicKey(byte[] raw) {
        if (raw.length != RAW_KEY_BYTES || raw[0] != 0x04) {
            return Optional.empty();
        }
        BigInteger x = new BigInteger(1, Arrays.copyOfRange(raw, 1, 1 + COORDINATE_BYTES));
        BigInteger y = new BigInteger(1, Arrays.copyOfRange(raw, 1 + COORDINATE_BYTES, RAW_KEY_BYTES));
        if (!onCurve(x, y)) {
            return Optional.empty();
        }
        try {
            return Optional.of(KeyFactory.getInstance("EC")
                    .generatePublic(new ECPublicKeySpec(new ECPoint(x, y), PARAMETERS)));
        } catch (GeneralSecurityException e) {
            return Optional.empty();
        }
    }

    /** y² = x³ + ax + b (mod p), with both coordinates reduced: the curve has a prime order, so no small subgroup. */
    static boolean onCurve(BigInteger x, BigInteger y) {
        if (x.signum() < 0 || x.compareTo(P) >= 0 || y.signum() < 0 || y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger left = y.multiply(y).mod(P);
        BigInteger right = x.pow(3).add(CURVE.getA().multiply(x)).add(CURVE.getB()).mod(P);
        return left.equals(right);
    }

    /** Whether {@code signature} (P1363) is {@code signer}'s ECDSA P-256/SHA-256 signature of {@code message}. */
    static boolean verifies(PublicKey signer, byte[] message, byte[] signature) {
        if (signature.length != SIGNATURE_BYTES) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(signer);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static ECParameterSpec parameters() {
        try {
            AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
            parameters.init(new ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no P-256", e);
        }
    }
}
