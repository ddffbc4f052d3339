package io.kchat.gateway.auth.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.auth.tokens.BadTokens.BadToken;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.json.Json;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The bad-token table against the REST API: each one is a 401 problem, while its untampered twin is a 200. */
class TokenRejectionIT {

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login login;
    private static TokenForge forge;

    @BeforeAll
    static void start() throws Exception {
        fixture = RestApiFixture.start("TokenRejectionIT");
        client = fixture.client;
        login = TestUsers.registerAndLogin(client, "holder");
        JsonNode claims = Json.mapper().readTree(Base64.getUrlDecoder().decode(login.accessToken().split("\\.")[1]));
        forge = new TokenForge(fixture.dependencies.signingKeys().current(), login.userId(), login.deviceId(),
                claims.get("sid").asText(), Instant.now());
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    static List<BadToken> badTokens() {
        return BadTokens.all();
    }

    @Test
    void theForgedBaselineIsAccepted() {
        assertEquals(200, client.get("/v1/users/me", forge.valid()).status());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badTokens")
    void isUnauthorized(BadToken bad) {
        assertUnauthorized(client.get("/v1/users/me", bad.make().apply(forge)));
    }

    @Test
    void aRefreshTokenIsNeverAnAccessToken() {
        assertUnauthorized(client.get("/v1/users/me", login.refreshToken()));
        assertUnauthorized(client.post("/v1/auth/logout", "{}", login.refreshToken()));
    }

    @Test
    void anAccessTokenIsNeverARefreshToken() {
        assertUnauthorized(client.post("/v1/auth/refresh", "{\"refreshToken\":\"" + login.accessToken() + "\"}", null));
    }

    private static void assertUnauthorized(Answer answer) {
        assertEquals(401, answer.status());
        assertEquals("unauthorized", answer.text("code"));
        assertEquals("application/problem+json", answer.contentType());
        assertNotNull(answer.wwwAuthenticate());
    }
}
