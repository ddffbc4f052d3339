package io.kchat.gateway.otp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.regex.Pattern;

/** Six-digit one-time codes from a {@link SecureRandom}; stored only as a hash bound to their request. */
final class OtpCodes {

    static final int DIGITS = 6;
    private static final int BOUND = 1_000_000;
    private static final Pattern SHAPE = Pattern.compile("[0-9]{" + DIGITS + "}");

    private final SecureRandom random = new SecureRandom();

    String next() {
        return String.format("%0" + DIGITS + "d", random.nextInt(BOUND));
    }

    static boolean wellFormed(String code) {
        return code != null && SHAPE.matcher(code).matches();
    }

    /** SHA-256 of {@code requestId ':' code}: the same code sent for another request hashes differently. */
    static byte[] hash(String requestId, String code) {
        try {
            return MessageDigest.getInstance("SHA-256")
                    .digest((requestId + ":" + code).getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    static boolean matches(byte[] storedHash, String requestId, String code) {
        return MessageDigest.isEqual(storedHash, hash(requestId, code));
    }
}
