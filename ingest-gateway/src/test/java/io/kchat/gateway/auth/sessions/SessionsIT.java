package io.kchat.gateway.auth.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.RestApiFixture.Revoked;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Device sessions against the real database: rotation races, device cap, logout, password change. */
class SessionsIT {

    private static final int MAX_DEVICES = 2;
    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("SessionsIT", AuthConfig.defaults().withMaxDevicesPerUser(MAX_DEVICES));
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void twoConcurrentRefreshesWithOneTokenHaveExactlyOneWinner() throws Exception {
        Login login = TestUsers.registerAndLogin(client, "racer");
        String body = refreshBody(login.refreshToken());
        CountDownLatch go = new CountDownLatch(1);
        List<Future<Answer>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(2)) {
            for (int i = 0; i < 2; i++) {
                results.add(threads.submit(() -> {
                    go.await();
                    return client.post("/v1/auth/refresh", body, null);
                }));
            }
            go.countDown();
            List<Answer> answers = new ArrayList<>();
            for (Future<Answer> result : results) {
                answers.add(result.get());
            }
            assertEquals(List.of(200, 401), answers.stream().map(Answer::status).sorted().toList());
            // the loser presented a spent token: per RFC 9700 that is reuse, which ends the login (a legitimate
            // client never sends one refresh token twice), so the winner's rotated token is dead too
            Answer winner = answers.stream().filter(a -> a.status() == 200).findFirst().orElseThrow();
            assertEquals(401, client.post("/v1/auth/refresh", refreshBody(winner.text("refreshToken")), null).status());
            assertTrue(fixture.revoked.contains(new Revoked(login.userId(), login.deviceId())));
        }
    }

    @Test
    void aSpentRefreshTokenPresentedAgainRevokesItsWholeFamilyAndTheDevicesSockets() {
        Login login = TestUsers.registerAndLogin(client, "replayer");
        Answer rotated = client.post("/v1/auth/refresh", refreshBody(login.refreshToken()), null);
        assertEquals(200, rotated.status());
        assertFalse(fixture.revoked.contains(new Revoked(login.userId(), login.deviceId())));
        assertEquals(200, client.get("/v1/users/me", rotated.text("accessToken")).status());

        Answer replay = client.post("/v1/auth/refresh", refreshBody(login.refreshToken()), null);

        assertEquals(401, replay.status());
        assertTrue(fixture.revoked.contains(new Revoked(login.userId(), login.deviceId())));
        assertEquals(401, client.post("/v1/auth/refresh", refreshBody(rotated.text("refreshToken")), null).status());
        assertEquals(401, client.get("/v1/users/me", rotated.text("accessToken")).status());
        assertEquals(401, client.get("/v1/users/me", login.accessToken()).status());
    }

    @Test
    void deviceCountIsCappedForNewDevicesOnly() {
        TestUsers.register(client, "collector");
        TestUsers.login(client, "collector", "one");
        TestUsers.login(client, "collector", "two");

        Answer third = client.post("/v1/auth/login",
                "{\"username\":\"collector\",\"password\":\"" + TestUsers.PASSWORD + "\",\"deviceId\":\"three\"}", null);
        assertEquals(409, third.status());
        assertEquals("conflict", third.text("code"));
        assertEquals("too many devices", third.text("title"));

        Login again = TestUsers.login(client, "collector", "two");
        assertEquals("two", again.deviceId());
    }

    @Test
    void aNewLoginOfTheSameDeviceEndsItsPreviousOne() {
        TestUsers.register(client, "reinstaller");
        Login first = TestUsers.login(client, "reinstaller", "tablet");
        Login second = TestUsers.login(client, "reinstaller", "tablet");

        assertEquals(401, client.get("/v1/users/me", first.accessToken()).status());
        assertEquals(401, client.post("/v1/auth/refresh", refreshBody(first.refreshToken()), null).status());
        assertEquals(200, client.get("/v1/users/me", second.accessToken()).status());
    }

    @Test
    void logoutEndsTheSessionAndForgetsTheDevice() {
        TestUsers.register(client, "leaver");
        Login phone = TestUsers.login(client, "leaver", "phone");
        Login laptop = TestUsers.login(client, "leaver", "laptop");

        Answer logout = client.post("/v1/auth/logout", "{}", phone.accessToken());

        assertEquals(204, logout.status());
        assertTrue(fixture.revoked.contains(new Revoked(phone.userId(), "phone")));
        assertEquals(401, client.get("/v1/users/me", phone.accessToken()).status());
        assertEquals(401, client.post("/v1/auth/refresh", "{\"refreshToken\":\"" + phone.refreshToken() + "\"}", null)
                .status());
        assertEquals(200, client.get("/v1/users/me", laptop.accessToken()).status());
        // the freed slot takes a new device under the cap of two
        TestUsers.login(client, "leaver", "watch");
        assertEquals(401, client.post("/v1/auth/logout", "{}", null).status());
    }

    @Test
    void passwordChangeEndsEveryOtherSession() {
        TestUsers.register(client, "changer");
        Login kept = TestUsers.login(client, "changer", "desk");
        Login other = TestUsers.login(client, "changer", "pocket");

        assertEquals(401, client.post("/v1/auth/password",
                "{\"currentPassword\":\"wrong password\",\"newPassword\":\"a brand new password\"}",
                kept.accessToken()).status());
        assertEquals(400, client.post("/v1/auth/password",
                "{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"short\"}",
                kept.accessToken()).status());
        Answer changed = client.post("/v1/auth/password",
                "{\"currentPassword\":\"" + TestUsers.PASSWORD + "\",\"newPassword\":\"a brand new password\"}",
                kept.accessToken());

        assertEquals(204, changed.status());
        assertEquals(200, client.get("/v1/users/me", kept.accessToken()).status());
        assertEquals(401, client.get("/v1/users/me", other.accessToken()).status());
        assertTrue(fixture.revoked.contains(new Revoked(other.userId(), "pocket")));
        assertFalse(fixture.revoked.contains(new Revoked(kept.userId(), "desk")), "this session goes on");
        assertEquals(401, client.post("/v1/auth/login",
                "{\"username\":\"changer\",\"password\":\"" + TestUsers.PASSWORD + "\"}", null).status());
        assertEquals(200, client.post("/v1/auth/login",
                "{\"username\":\"changer\",\"password\":\"a brand new password\",\"deviceId\":\"pocket\"}", null)
                .status());
    }

    private static String refreshBody(String refreshToken) {
        return "{\"refreshToken\":\"" + refreshToken + "\"}";
    }
}
