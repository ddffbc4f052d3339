package io.kchat.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** A small REST client for the tests: JSON in, status and JSON out. */
final class Http {

    record Response(int status, JsonNode body) {
    }

    static final String PASSWORD = "correct horse battery staple";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient client = HttpClient.newHttpClient();
    private final int port;

    Http(int port) {
        this.port = port;
    }

    Response post(String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response patch(String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    Response put(String path, String token) throws Exception {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.noBody()));
    }

    Response put(String path, String token, String json) throws Exception {
        return send(request(path, token).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    Response delete(String path, String token) throws Exception {
        return send(request(path, token).DELETE());
    }

    Response get(String path, String token) throws Exception {
        return send(request(path, token).GET());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        return token == null ? request : request.header("Authorization", "Bearer " + token);
    }

    private Response send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        return new Response(response.statusCode(), response.body().isEmpty() ? null : JSON.readTree(response.body()));
    }

    /** Registers and logs in; returns {userId, deviceId, accessToken, ...}. */
    JsonNode newUser(String username) throws Exception {
        Response registered = post("/v1/auth/register", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}");
        if (registered.status() != 201) {
            throw new AssertionError("register " + username + ": " + registered);
        }
        return login(username, null);
    }

    /** Logs in from {@code deviceId} (null: the server picks one). */
    JsonNode login(String username, String deviceId) throws Exception {
        String device = deviceId == null ? "" : ",\"deviceId\":\"" + deviceId + "\"";
        Response login = post("/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"" + device + "}");
        if (login.status() != 200) {
            throw new AssertionError("login " + username + ": " + login);
        }
        return login.body();
    }
}
