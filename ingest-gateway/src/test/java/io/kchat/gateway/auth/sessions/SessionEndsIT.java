package io.kchat.gateway.auth.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.RestApiFixture.Revoked;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Which sessions end, and which devices' sockets are told to close, on logout and on a password change. */
class SessionEndsIT {

    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("SessionEndsIT");
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void logoutEndsThisDevicesSessionOnly() {
        String userId = TestUsers.register(client, "quitter");
        Login phone = TestUsers.login(client, "quitter", "phone");
        Login tablet = TestUsers.login(client, "quitter", "tablet");

        assertEquals(204, client.post("/v1/auth/logout", "{}", phone.accessToken()).status());

        assertEquals(Set.of("phone"), revokedDevicesOf(userId));
        assertEquals(200, client.get("/v1/users/me", tablet.accessToken()).status());
        assertEquals(200, client.post("/v1/auth/refresh", refreshBody(tablet.refreshToken()), null).status());
    }

    @Test
    void aPasswordChangeEndsEveryOtherDevicesSession() {
        String userId = TestUsers.register(client, "rotator");
        Login desk = TestUsers.login(client, "rotator", "desk");
        List<Login> others = List.of(TestUsers.login(client, "rotator", "phone"),
                TestUsers.login(client, "rotator", "tablet"), TestUsers.login(client, "rotator", "watch"));

        assertEquals(204, client.post("/v1/auth/password",
                "{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"an entirely new phrase\"}",
                desk.accessToken()).status());

        assertEquals(Set.of("phone", "tablet", "watch"), revokedDevicesOf(userId));
        for (Login other : others) {
            assertEquals(401, client.get("/v1/users/me", other.accessToken()).status(), other.deviceId());
            assertEquals(401, client.post("/v1/auth/refresh", refreshBody(other.refreshToken()), null).status());
        }
        assertEquals(200, client.get("/v1/users/me", desk.accessToken()).status());
        assertEquals(200, client.post("/v1/auth/refresh", refreshBody(desk.refreshToken()), null).status());
    }

    @Test
    void aPasswordChangeToACommonPasswordIsRefusedAndEndsNothing() {
        String userId = TestUsers.register(client, "lazy");
        Login desk = TestUsers.login(client, "lazy", "desk");
        Login phone = TestUsers.login(client, "lazy", "phone");

        var answer = client.post("/v1/auth/password",
                "{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"Password123\"}",
                desk.accessToken());

        assertEquals(400, answer.status());
        assertEquals("weak password", answer.text("title"));
        assertEquals(Set.of(), revokedDevicesOf(userId));
        assertEquals(200, client.get("/v1/users/me", phone.accessToken()).status());
    }

    private static Set<String> revokedDevicesOf(String userId) {
        return fixture.revoked.stream()
                .filter(r -> r.userId().equals(userId))
                .map(Revoked::deviceId)
                .collect(Collectors.toSet());
    }

    private static String refreshBody(String refreshToken) {
        return "{\"refreshToken\":\"" + refreshToken + "\"}";
    }
}
