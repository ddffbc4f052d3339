package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.UUID;

/** The REST calls a benchmark needs to set up its users and conversations. */
final class BenchApi {

    record Login(String userId, String deviceId, String accessToken) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "bench password for loopback only";
    private final HttpClient http = HttpClient.newHttpClient();
    private final URI base;
    /** Usernames unique per run, so a benchmark can run again on the same data dir. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    BenchApi(URI base) {
        this.base = base;
    }

    URI webSocket() {
        return URI.create(base.toString().replaceFirst("^http", "ws") + "/v1/ws");
    }

    Login newUser(String name) throws IOException, InterruptedException {
        String username = name + "_" + run;
        call("/v1/auth/register", null, "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", 201);
        JsonNode login = call("/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", 200);
        return new Login(login.path("userId").asText(), login.path("deviceId").asText(), login.path("accessToken").asText());
    }

    String directConversation(Login from, Login to) throws IOException, InterruptedException {
        return call("/v1/conversations", from.accessToken(),
                "{\"type\":\"direct\",\"userId\":\"" + to.userId() + "\"}", 201).path("conversationId").asText();
    }

    private JsonNode call(String path, String token, String body, int expected) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(path + " answered " + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }
}
