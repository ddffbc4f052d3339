package io.kchat.gateway.auth.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.kchat.gateway.auth.AuthConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * Access-token verification, the gate of every WebSocket upgrade and {@code auth} frame, fuzzed through the public
 * API of {@link JwtAccessTokens}: whatever the token, the verifier answers a device or an
 * {@link InvalidTokenException}, nothing else. Two targets: raw strings (what an attacker controls; none may pass,
 * since the fuzzer holds no key), and tokens signed with the real key around fuzzed header and claims JSON (what a
 * buggy issuer could produce: reaches the claim checks behind the signature). Saved inputs under
 * {@code src/test/resources/io/kchat/gateway/auth/tokens/AccessTokenFuzzTestInputs} run as regression tests; in the signed
 * target's inputs the first line is the header JSON and the rest the claims, with {@code $KID} and {@code $EXP}
 * standing for the key id and an expiry in the future.
 */
class AccessTokenFuzzTest {

    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final SigningKey KEY = SigningKey.generate(NOW);
    private static final JwtAccessTokens TOKENS = new JwtAccessTokens(KeyRing.of(KEY), AuthConfig.defaults(),
            Clock.fixed(NOW, ZoneOffset.UTC));
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    @FuzzTest(maxDuration = "5m")
    void anUnsignedTokenIsAnInvalidToken(byte[] input) {
        String token = new String(input, StandardCharsets.UTF_8);
        try {
            AuthenticatedDevice device = TOKENS.verify(token);
            fail("a token nobody signed was trusted: " + token + " -> " + device);
        } catch (InvalidTokenException expected) {
            // the only answer to a forgery
        }
    }

    @FuzzTest(maxDuration = "5m")
    void aSignedTokenIsTrustedOrAnInvalidToken(byte[] input) throws GeneralSecurityException {
        String text = new String(input, StandardCharsets.UTF_8);
        int newline = text.indexOf('\n');
        String header = newline < 0 ? text : text.substring(0, newline);
        String claims = newline < 0 ? "" : text.substring(newline + 1);
        String token = sign(header.replace("$KID", KEY.kid()),
                claims.replace("$EXP", Long.toString(NOW.plusSeconds(600).getEpochSecond())));
        try {
            TOKENS.verify(token);
        } catch (InvalidTokenException expected) {
            // refused: fine
        }
    }

    @Test
    void theSignedTargetReachesTheClaimChecks() throws Exception {
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"" + KEY.kid() + "\"}";
        String claims = "{\"iss\":\"kchat\",\"aud\":\"kchat\",\"sub\":\"u1\",\"did\":\"d1\",\"sid\":\"s1\",\"exp\":"
                + NOW.plusSeconds(600).getEpochSecond() + "}";
        assertEquals(new AuthenticatedDevice("u1", "d1", NOW.plusSeconds(600)), TOKENS.verify(sign(header, claims)));
    }

    /**
     * Found by {@link #aSignedTokenIsTrustedOrAnInvalidToken}: a signed token whose {@code did} (or {@code sid}) is
     * not a string makes {@code JwtAccessTokens.verifyClaims} throw jjwt's RequiredTypeException (a RuntimeException
     * read after its try block) instead of InvalidTokenException: a 500 on REST, an unhandled error on a socket.
     * Only the holder of a signing key can make such a token. Kept as a regression test of the fix.
     */
    @Test
    void aSignedTokenWithANumericDeviceIdIsAnInvalidToken() throws Exception {
        String header = "{\"alg\":\"EdDSA\",\"typ\":\"at+jwt\",\"kid\":\"" + KEY.kid() + "\"}";
        String claims = "{\"iss\":\"kchat\",\"aud\":\"kchat\",\"sub\":\"u1\",\"did\":5,\"sid\":\"s1\",\"exp\":"
                + NOW.plusSeconds(600).getEpochSecond() + "}";
        assertThrows(InvalidTokenException.class, () -> TOKENS.verify(sign(header, claims)));
    }

    private static String sign(String header, String claims) throws GeneralSecurityException {
        String signingInput = BASE64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + BASE64URL.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature ed25519 = Signature.getInstance("Ed25519");
        ed25519.initSign(KEY.privateKey());
        ed25519.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        return signingInput + "." + BASE64URL.encodeToString(ed25519.sign());
    }
}
