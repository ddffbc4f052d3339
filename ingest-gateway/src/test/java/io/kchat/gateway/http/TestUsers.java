package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.http.ApiClient.Answer;

/** Registration and login through the API, for tests that need users. */
public final class TestUsers {

    public static final String PASSWORD = "correct horse battery staple";

    /** A logged-in device. */
    public record Login(String userId, String deviceId, String accessToken, String refreshToken) {
    }

    private TestUsers() {
    }

    public static String register(ApiClient client, String username) {
        Answer answer = client.post("/v1/auth/register",
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", null);
        assertEquals(201, answer.status(), String.valueOf(answer.body()));
        return answer.text("userId");
    }

    public static Login login(ApiClient client, String username, String deviceId) {
        String device = deviceId == null ? "" : ",\"deviceId\":\"" + deviceId + "\"";
        Answer answer = client.post("/v1/auth/login",
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"" + device + "}", null);
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return new Login(answer.text("userId"), answer.text("deviceId"), answer.text("accessToken"),
                answer.text("refreshToken"));
    }

    public static Login registerAndLogin(ApiClient client, String username) {
        register(client, username);
        return login(client, username, null);
    }
}
