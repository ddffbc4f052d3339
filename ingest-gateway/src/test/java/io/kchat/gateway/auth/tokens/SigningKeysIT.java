package io.kchat.gateway.auth.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.json.Json;
import io.kchat.infra.SharedInfrastructure;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The key ring shared through the database: one key at first start, rotation, reload without restart, retirement. */
class SigningKeysIT {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final Duration ACCESS_TTL = AuthConfig.DEFAULT_ACCESS_TTL;

    @Test
    void gatewaysStartingTogetherGenerateOneKey() throws Exception {
        var postgres = SharedInfrastructure.postgres();
        String url = SharedInfrastructure.freshDatabase("SigningKeysIT");
        try (Database first = Database.start(url, postgres.user(), postgres.password(), 2);
             Database second = Database.start(url, postgres.user(), postgres.password(), 2);
             ExecutorService threads = Executors.newFixedThreadPool(2)) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<SigningKeys>> loads = new ArrayList<>();
            for (Database database : List.of(first, second)) {
                loads.add(threads.submit(() -> {
                    go.await();
                    return SigningKeys.load(database, Clock.systemUTC());
                }));
            }
            go.countDown();
            SigningKeys a = loads.get(0).get();
            SigningKeys b = loads.get(1).get();

            assertEquals(a.current().kid(), b.current().kid());
            assertEquals(1, a.verificationKeys().size());
            assertEquals(a.current().kid(), SigningKeys.load(first, Clock.systemUTC()).current().kid(),
                    "a restart reuses the stored key");

            String token = new JwtAccessTokens(a, AuthConfig.defaults(), Clock.systemUTC()).issue("u", "d", "f").token();
            assertEquals("u", new JwtAccessTokens(b, AuthConfig.defaults(), Clock.systemUTC()).verify(token).userId());
        }
    }

    @Test
    void aRotatedKeyReachesRunningGatewaysAndSignsOnceEveryOneKnowsIt() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (Database database = database("rotation")) {
            SigningKeys gateway = SigningKeys.load(database, clock);
            SigningKey first = gateway.current();
            JwtAccessTokens tokens = new JwtAccessTokens(gateway, AuthConfig.defaults(), clock);
            String byFirst = tokens.issue("u", "d", "f").token();
            clock.advance(Duration.ofMinutes(10));

            SigningKey second = new SigningKeyRotation(database, clock, ACCESS_TTL).addKey();
            assertEquals(first.kid(), gateway.current().kid());

            clock.advance(SigningKeys.RELOAD_INTERVAL.plusSeconds(1));
            assertEquals(List.of(second.kid(), first.kid()), kids(gateway.verificationKeys()), "reloaded, no restart");
            assertEquals(first.kid(), gateway.current().kid(), "not signing before every gateway can know it");

            clock.advance(SigningKeys.ACTIVATION_DELAY);
            assertEquals(second.kid(), gateway.current().kid());
            assertEquals(second.kid(), kidOf(tokens.issue("u", "d", "f").token()));
            assertEquals("u", tokens.verify(byFirst).userId(), "the old key verifies until retired");
        }
    }

    @Test
    void anUnknownKidReloadsTheRingAtMostOncePerFewSeconds() {
        MutableClock clock = new MutableClock(T0);
        try (Database database = database("unknownkid")) {
            SigningKeys gateway = SigningKeys.load(database, clock);
            SigningKeyRotation rotation = new SigningKeyRotation(database, clock, ACCESS_TTL);

            SigningKey second = rotation.addKey();
            assertTrue(gateway.verificationKey(second.kid()).isEmpty(), "the ring was loaded just now");
            clock.advance(SigningKeys.UNKNOWN_KID_RELOAD_INTERVAL);
            assertTrue(gateway.verificationKey(second.kid()).isPresent(), "an unknown kid reloads");

            SigningKey third = rotation.addKey();
            clock.advance(Duration.ofSeconds(1));
            assertTrue(gateway.verificationKey(third.kid()).isEmpty(), "not twice within the interval");
            clock.advance(SigningKeys.UNKNOWN_KID_RELOAD_INTERVAL);
            assertTrue(gateway.verificationKey(third.kid()).isPresent());
        }
    }

    @Test
    void retirementWaitsUntilNoTokenOfTheOldKeyCanBeValid() throws Exception {
        MutableClock clock = new MutableClock(T0);
        try (Database database = database("retire")) {
            SigningKeys gateway = SigningKeys.load(database, clock);
            SigningKey first = gateway.current();
            SigningKeyRotation rotation = new SigningKeyRotation(database, clock, ACCESS_TTL);
            clock.advance(Duration.ofDays(1));
            SigningKey second = rotation.addKey();

            // first still signs for ACTIVATION_DELAY, on a gateway that has not reloaded for up to
            // RELOAD_INTERVAL more, and its tokens live ACCESS_TTL (+ skew) after that
            Duration quiet = SigningKeys.ACTIVATION_DELAY.plus(SigningKeys.RELOAD_INTERVAL).plus(ACCESS_TTL)
                    .plus(AuthConfig.CLOCK_SKEW);
            clock.advance(quiet.minusSeconds(1));
            String lastByFirst = new JwtAccessTokens(KeyRing.of(first), AuthConfig.defaults(), clock)
                    .issue("u", "d", "f").token();
            assertEquals(List.of(), rotation.retireOlderThan(Duration.ofHours(1)));

            clock.advance(Duration.ofSeconds(1));
            assertEquals(List.of(first.kid()), rotation.retireOlderThan(Duration.ofHours(1)));
            assertEquals(List.of(), rotation.retireOlderThan(Duration.ZERO), "the signing key is never retired");

            clock.advance(SigningKeys.RELOAD_INTERVAL);
            assertEquals(List.of(second.kid()), kids(gateway.verificationKeys()));
            JwtAccessTokens tokens = new JwtAccessTokens(gateway, AuthConfig.defaults(), clock);
            assertThrows(InvalidTokenException.class, () -> tokens.verify(lastByFirst), "retired: verifies nothing");
        }
    }

    @Test
    void theOpsCommandAddsAKeyAndRetiresOldOnes() {
        var postgres = SharedInfrastructure.postgres();
        String url = SharedInfrastructure.freshDatabase("SigningKeysIT-command");
        Map<String, String> env = Map.of("DATABASE_URL", url, "DATABASE_USER", postgres.user(),
                "DATABASE_PASSWORD", postgres.password());
        MutableClock clock = new MutableClock(T0);

        assertEquals(2, RotateSigningKey.run(new String[] {"--retire-older-than=soon"}, env, clock));
        assertEquals(2, RotateSigningKey.run(new String[] {"--rotate-everything"}, env, clock));
        assertEquals(2, RotateSigningKey.run(new String[0], Map.of(), clock));

        assertEquals(0, RotateSigningKey.run(new String[0], env, clock));
        clock.advance(Duration.ofDays(2));
        assertEquals(0, RotateSigningKey.run(new String[0], env, clock));
        clock.advance(Duration.ofDays(1));
        assertEquals(0, RotateSigningKey.run(new String[] {"--retire-older-than=1d", "--no-new-key"}, env, clock));

        try (Database database = Database.start(url, postgres.user(), postgres.password(), 2)) {
            assertEquals(List.of(T0.plus(Duration.ofDays(2))), database.withConnection(c -> {
                try (PreparedStatement statement = c.prepareStatement(
                        "SELECT created_at FROM signing_keys WHERE retired_at IS NULL");
                     ResultSet rows = statement.executeQuery()) {
                    List<Instant> created = new ArrayList<>();
                    while (rows.next()) {
                        created.add(rows.getObject(1, OffsetDateTime.class).toInstant());
                    }
                    return created;
                }
            }));
        }
    }

    private static Database database(String name) {
        var postgres = SharedInfrastructure.postgres();
        return Database.start(SharedInfrastructure.freshDatabase("SigningKeysIT-" + name), postgres.user(),
                postgres.password(), 2);
    }

    private static List<String> kids(List<SigningKey> keys) {
        return keys.stream().map(SigningKey::kid).toList();
    }

    private static String kidOf(String token) throws Exception {
        return Json.mapper().readTree(Base64.getUrlDecoder().decode(token.split("\\.")[0])).get("kid").asText();
    }
}
