package io.kchat.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jsonwebtoken.JwtBuilder;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtAccessTokensTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final SigningKey key = SigningKey.generate(START);
    private final AuthConfig config = AuthConfig.defaults();
    private final JwtAccessTokens tokens = new JwtAccessTokens(KeyRing.of(key), config, clock);

    @Test
    void verifiesWhatItIssued() throws Exception {
        IssuedAccessToken issued = tokens.issue("user-1", "device-1", "family-1");

        AccessTokenClaims claims = tokens.verifyClaims(issued.token());

        assertEquals(new AccessTokenClaims("user-1", "device-1", "family-1", START.plus(Duration.ofMinutes(15))), claims);
        assertEquals(new AuthenticatedDevice("user-1", "device-1", START.plus(Duration.ofMinutes(15))),
                tokens.verify(issued.token()));
        assertEquals(900, issued.expiresInSeconds());
    }

    @Test
    void headerNamesTheKeyAndTheAccessTokenType() {
        String header = decodePart(tokens.issue("u", "d", "f").token(), 0);

        assertEquals(true, header.contains("\"kid\":\"" + key.kid() + "\""), header);
        assertEquals(true, header.contains("\"typ\":\"at+jwt\""), header);
        assertEquals(true, header.contains("\"alg\":\"EdDSA\""), header);
    }

    @Test
    void acceptsUpTo60SecondsOfSkewAfterExpiry() throws Exception {
        String token = tokens.issue("u", "d", "f").token();

        clock.advance(Duration.ofMinutes(15).plusSeconds(59));
        tokens.verify(token);

        clock.advance(Duration.ofSeconds(2));
        assertRejected(token);
    }

    @Test
    void rejectsAlgNone() {
        String header = b64("{\"alg\":\"none\",\"typ\":\"at+jwt\",\"kid\":\"" + key.kid() + "\"}");
        String payload = b64("{\"iss\":\"kchat\",\"aud\":\"kchat\",\"sub\":\"u\",\"did\":\"d\",\"sid\":\"f\",\"exp\":"
                + START.plusSeconds(600).getEpochSecond() + "}");

        assertRejected(header + "." + payload + ".");
    }

    @Test
    void rejectsHs256SignedWithThePublicKeyBytes() {
        // the classic confusion attack: a verifier that lets alg pick the key type would accept this
        String token = forged(b -> b.signWith(Keys.hmacShaKeyFor(key.publicKey().getEncoded()), Jwts.SIG.HS256));

        assertRejected(token);
    }

    @Test
    void rejectsOtherAsymmetricAlgorithmsUnderOurKid() throws NoSuchAlgorithmException {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair pair = rsa.generateKeyPair();

        assertRejected(forged(b -> b.signWith(pair.getPrivate(), Jwts.SIG.RS256)));
    }

    @Test
    void rejectsAnotherEd25519KeyClaimingOurKid() {
        SigningKey impostor = SigningKey.generate(START);

        assertRejected(forged(b -> b.signWith(impostor.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void rejectsAnUnknownKid() {
        SigningKey other = SigningKey.generate(START);
        String token = new JwtAccessTokens(KeyRing.of(other), config, clock).issue("u", "d", "f").token();

        assertRejected(token);
    }

    @Test
    void acceptsEveryKeyOfTheRing() throws Exception {
        SigningKey older = SigningKey.generate(START.minusSeconds(3600));
        String byOlder = new JwtAccessTokens(KeyRing.of(older), config, clock).issue("u", "d", "f").token();

        new JwtAccessTokens(KeyRing.of(key, older), config, clock).verify(byOlder);
    }

    @Test
    void rejectsAWrongAudienceOrIssuer() {
        AuthConfig otherAudience = new AuthConfig("kchat", "someone-else", config.accessTtl(),
                config.refreshFamilyLifetime(), config.maxDevicesPerUser(), config.publishTimeout());

        assertRejected(new JwtAccessTokens(KeyRing.of(key), otherAudience, clock).issue("u", "d", "f").token());
        assertRejected(new JwtAccessTokens(KeyRing.of(key), config.withIssuer("evil"), clock)
                .issue("u", "d", "f").token());
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "id+jwt", "at+jwt2"})
    void rejectsAnotherTokenType(String type) {
        assertRejected(forged(b -> b.header().type(type).and().signWith(key.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void acceptsTheLongFormOfTheTokenType() throws Exception {
        tokens.verify(forged(b -> b.header().type("application/at+jwt").and()
                .signWith(key.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void rejectsAMissingExpiry() {
        assertRejected(forged(b -> b.expiration(null).signWith(key.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void rejectsMissingDeviceOrSession() {
        assertRejected(forged(b -> b.claim("did", null).signWith(key.privateKey(), Jwts.SIG.EdDSA)));
        assertRejected(forged(b -> b.claim("sid", null).signWith(key.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void rejectsTokenSuppliedKeyLocations() {
        assertRejected(forged(b -> b.header().jwkSetUrl(URI.create("https://attacker.example/jwks.json")).and()
                .signWith(key.privateKey(), Jwts.SIG.EdDSA)));
        assertRejected(forged(b -> b.header().x509Url(URI.create("https://attacker.example/cert.pem")).and()
                .signWith(key.privateKey(), Jwts.SIG.EdDSA)));
    }

    @Test
    void rejectsATamperedPayload() {
        String[] parts = tokens.issue("user-1", "d", "f").token().split("\\.");
        String payload = b64(decodePart(parts[0] + "." + parts[1], 1).replace("user-1", "user-2"));

        assertRejected(parts[0] + "." + payload + "." + parts[2]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "garbage", "a.b.c", "a.b"})
    void rejectsGarbage(String token) {
        assertRejected(token);
    }

    /** A token with our claims and kid, then customised by the test (header, claims, signature). */
    private String forged(UnaryOperator<JwtBuilder> customise) {
        JwtBuilder builder = Jwts.builder()
                .header().keyId(key.kid()).type("at+jwt").and()
                .issuer("kchat")
                .audience().add("kchat").and()
                .subject("u")
                .claim("did", "d")
                .claim("sid", "f")
                .issuedAt(Date.from(START))
                .expiration(Date.from(START.plusSeconds(600)));
        return customise.apply(builder).compact();
    }

    private void assertRejected(String token) {
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token));
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    private static String decodePart(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }
}
