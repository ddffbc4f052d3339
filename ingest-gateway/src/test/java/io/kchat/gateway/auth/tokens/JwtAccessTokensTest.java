package io.kchat.gateway.auth.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.auth.tokens.BadTokens.BadToken;
import io.kchat.gateway.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JwtAccessTokensTest {

    private static final Instant START = Instant.parse("2026-03-01T10:00:00Z");
    private final MutableClock clock = new MutableClock(START);
    private final SigningKey key = SigningKey.generate(START);
    private final AuthConfig config = AuthConfig.defaults();
    private final JwtAccessTokens tokens = new JwtAccessTokens(KeyRing.of(key), config, clock);
    private final TokenForge forge = new TokenForge(key, "user-1", "device-1", "family-1", START);

    static List<BadToken> badTokens() {
        return BadTokens.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void refuses(BadToken bad) {
        assertRejected(bad.make().apply(forge));
    }

    @Test
    void theForgedBaselineOfTheTableIsAccepted() throws Exception {
        // without this, every row of the table could be refused for a reason it does not test
        assertEquals("user-1", tokens.verify(forge.valid()).userId());
        tokens.verify(forge.ours(h -> h.put("typ", "application/at+jwt"), p -> { }));
        tokens.verify(forge.ours(h -> { }, p -> p.put("aud", "kchat")));
    }

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
    void headerHoldsOnlyTheAlgorithmTheKeyAndTheAccessTokenType() throws Exception {
        String header = decodePart(tokens.issue("u", "d", "f").token(), 0);

        assertEquals(Map.of("alg", "EdDSA", "kid", key.kid(), "typ", "at+jwt"),
                Json.mapper().readValue(header, Map.class));
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
    void acceptsANotBeforeAndAnIssuedAtWithinTheSkew() throws Exception {
        tokens.verify(forge.ours(h -> { }, p -> {
            p.put("nbf", START.plusSeconds(50).getEpochSecond());
            p.put("iat", START.plusSeconds(50).getEpochSecond());
        }));
    }

    @Test
    void acceptsEveryKeyOfTheRingAndSignsWithTheCurrentOne() throws Exception {
        SigningKey older = SigningKey.generate(START.minusSeconds(3600));
        String byOlder = new JwtAccessTokens(KeyRing.of(older), config, clock).issue("u", "d", "f").token();
        JwtAccessTokens both = new JwtAccessTokens(KeyRing.of(key, older), config, clock);

        both.verify(byOlder);
        assertTrue(decodePart(both.issue("u", "d", "f").token(), 0).contains(key.kid()));
    }

    @Test
    void aMalformedKidIsRefusedWithoutAskingTheRing() {
        AtomicInteger lookups = new AtomicInteger();
        KeyRing counting = new KeyRing() {
            @Override
            public SigningKey current() {
                return key;
            }

            @Override
            public Optional<SigningKey> verificationKey(String kid) {
                lookups.incrementAndGet();
                return Optional.empty();
            }

            @Override
            public List<SigningKey> verificationKeys() {
                return List.of(key);
            }
        };
        JwtAccessTokens verifier = new JwtAccessTokens(counting, config, clock);

        assertThrows(InvalidTokenException.class, () -> verifier.verify(forge.ours(h -> h.put("kid", "../../x"), p -> { })));
        assertEquals(0, lookups.get());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "garbage", "a.b.c", "a.b"})
    void rejectsGarbage(String token) {
        assertRejected(token);
    }

    private void assertRejected(String token) {
        assertThrows(InvalidTokenException.class, () -> tokens.verify(token));
    }

    private static String decodePart(String token, int index) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[index]), StandardCharsets.UTF_8);
    }
}
