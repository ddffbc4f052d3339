package io.kchat.gateway.auth.sessions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.AuthConfig;
import io.kchat.gateway.db.Timestamps;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.RestApiFixture.Revoked;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The device registry as the user side learns it: DeviceRegistered at login of a new device, DeviceRemoved at logout. */
class DevicesIT {

    private static final int MAX_DEVICES = 2;
    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("DevicesIT", AuthConfig.defaults().withMaxDevicesPerUser(MAX_DEVICES));
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void aNewDeviceIsRegisteredOnceAtItsFirstLogin() {
        String userId = TestUsers.register(client, "gus");

        TestUsers.login(client, "gus", "gus-phone");
        TestUsers.login(client, "gus", "gus-phone");
        Login issued = TestUsers.login(client, "gus", null);

        assertEquals(List.of(new DeviceRegistered(userId, "gus-phone", createdAt(userId, "gus-phone")),
                new DeviceRegistered(userId, issued.deviceId(), createdAt(userId, issued.deviceId()))),
                commands(userId));
    }

    @Test
    void aLoginBeyondTheCapIs409AndRegistersNothing() {
        String userId = TestUsers.register(client, "hoarder");
        TestUsers.login(client, "hoarder", "one");
        TestUsers.login(client, "hoarder", "two");

        Answer third = client.post("/v1/auth/login",
                "{\"username\":\"hoarder\",\"password\":\"" + TestUsers.PASSWORD + "\",\"deviceId\":\"three\"}", null);

        assertEquals(409, third.status());
        assertEquals("application/problem+json", third.contentType());
        assertEquals("conflict", third.text("code"));
        assertEquals(Logins.TOO_MANY_DEVICES, third.text("reason"));
        assertTrue(third.text("detail").contains(String.valueOf(MAX_DEVICES)), third.text("detail"));
        assertEquals(List.of("one", "two"), devices(userId));
        assertEquals(2, commands(userId).size());
    }

    @Test
    void logoutDeletesTheDeviceAndTellsTheUserSide() {
        String userId = TestUsers.register(client, "ida");
        Login phone = TestUsers.login(client, "ida", "ida-phone");
        TestUsers.login(client, "ida", "ida-laptop");

        assertEquals(204, client.post("/v1/auth/logout", "{}", phone.accessToken()).status());

        assertEquals(List.of("ida-laptop"), devices(userId));
        assertTrue(fixture.revoked.contains(new Revoked(userId, "ida-phone")));
        List<Object> commands = commands(userId);
        assertEquals(3, commands.size());
        DeviceRemoved removed = (DeviceRemoved) commands.getLast();
        assertEquals(userId, removed.getUserId());
        assertEquals("ida-phone", removed.getDeviceId());
        assertFalse(removed.getAt().isBefore(((DeviceRegistered) commands.getFirst()).getAt()));

        Login again = TestUsers.login(client, "ida", "ida-phone");
        assertEquals("ida-phone", again.deviceId());
        Object last = commands(userId).getLast();
        assertEquals(new DeviceRegistered(userId, "ida-phone", createdAt(userId, "ida-phone")), last,
                "a device that logged out is new again, with a new queue");
    }

    private static List<Object> commands(String userId) {
        return fixture.published(fixture.userInboundTopic, userId).stream().map(UserCommand::getCommand).toList();
    }

    private static List<String> devices(String userId) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT device_id FROM devices WHERE user_id = ? ORDER BY device_id")) {
                statement.setString(1, userId);
                try (ResultSet rows = statement.executeQuery()) {
                    List<String> ids = new ArrayList<>();
                    while (rows.next()) {
                        ids.add(rows.getString(1));
                    }
                    return ids;
                }
            }
        });
    }

    private static Instant createdAt(String userId, String deviceId) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT created_at FROM devices WHERE user_id = ? AND device_id = ?")) {
                statement.setString(1, userId);
                statement.setString(2, deviceId);
                try (ResultSet rows = statement.executeQuery()) {
                    assertTrue(rows.next(), "device " + deviceId);
                    return Timestamps.get(rows, "created_at");
                }
            }
        });
    }
}
