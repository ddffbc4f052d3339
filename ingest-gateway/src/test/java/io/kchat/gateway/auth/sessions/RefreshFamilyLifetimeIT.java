package io.kchat.gateway.auth.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.auth.ClockedApi;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** A login's refresh family has an absolute lifetime: rotating keeps it going only until then. */
class RefreshFamilyLifetimeIT {

    private static final Duration LIFETIME = Duration.ofHours(1);
    private static ClockedApi api;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        api = ClockedApi.start("RefreshFamilyLifetimeIT",
                AuthConfig.defaults().withRefreshFamilyLifetime(LIFETIME), Instant.parse("2026-03-01T10:00:00Z"));
        client = api.client;
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void rotationNeverExtendsTheLoginBeyondItsLifetime() {
        Login login = TestUsers.registerAndLogin(client, "mortal");
        String refreshToken = login.refreshToken();
        Answer last = null;
        for (int i = 0; i < 5; i++) {
            api.clock.advance(Duration.ofMinutes(11));
            last = client.post("/v1/auth/refresh", refreshBody(refreshToken), null);
            assertEquals(200, last.status(), "refresh at minute " + 11 * (i + 1));
            refreshToken = last.text("refreshToken");
        }
        String accessToken = last.text("accessToken");
        assertEquals(200, client.get("/v1/users/me", accessToken).status());

        api.clock.advance(Duration.ofMinutes(6)); // minute 61: the access token is 6 minutes old, the login over

        assertEquals(401, client.post("/v1/auth/refresh", refreshBody(refreshToken), null).status());
        assertEquals(401, client.get("/v1/users/me", accessToken).status(), "its login ended, not the token");
        assertEquals(200, client.post("/v1/auth/login",
                "{\"username\":\"mortal\",\"password\":\"" + TestUsers.PASSWORD + "\"}", null).status());
    }

    private static String refreshBody(String refreshToken) {
        return "{\"refreshToken\":\"" + refreshToken + "\"}";
    }
}
