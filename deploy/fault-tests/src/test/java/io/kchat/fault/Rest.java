package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The REST API over the JDK HTTP client, against whichever gateway answers: a request that cannot connect
 * (a killed gateway) is tried on the next one.
 */
final class Rest {

    record Response(int status, JsonNode body) {
    }

    /** What a login answers. */
    record Login(String userId, String deviceId, String accessToken) {
    }

    static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final HttpClient http;
    private final Supplier<List<Integer>> ports;

    Rest(HttpClient http, Supplier<List<Integer>> ports) {
        this.http = http;
        this.ports = ports;
    }

    void register(String username, String password) {
        Response registered = post("/v1/auth/register", null,
                JSON.createObjectNode().put("username", username).put("password", password));
        expect(201, registered, "register " + username);
    }

    Login login(String username, String password, String deviceId) {
        Response login = post("/v1/auth/login", null,
                JSON.createObjectNode().put("username", username).put("password", password).put("deviceId", deviceId));
        expect(200, login, "login " + username);
        return new Login(login.body().path("userId").asText(), login.body().path("deviceId").asText(),
                login.body().path("accessToken").asText());
    }

    String createDirect(String token, String otherUserId) {
        Response created = post("/v1/conversations", token,
                JSON.createObjectNode().put("type", "direct").put("userId", otherUserId));
        expect(201, created, "create direct conversation with " + otherUserId);
        return created.body().path("conversationId").asText();
    }

    String createGroup(String token, String title, List<String> memberIds) {
        ObjectNode body = JSON.createObjectNode().put("type", "group").put("title", title);
        memberIds.forEach(body.putArray("memberIds")::add);
        Response created = post("/v1/conversations", token, body);
        expect(201, created, "create group " + title);
        return created.body().path("conversationId").asText();
    }

    /** {@code POST /v1/conversations/{id}/members}: 204 when done (or when the user is a member already). */
    Response addMember(String token, String conversationId, String userId) {
        return post("/v1/conversations/" + conversationId + "/members", token,
                JSON.createObjectNode().put("userId", userId));
    }

    /** {@code DELETE /v1/conversations/{id}/members/{userId}}: 204 when done. */
    Response removeMember(String token, String conversationId, String userId) {
        return send("/v1/conversations/" + conversationId + "/members/" + userId, token, HttpRequest.Builder::DELETE);
    }

    /** The user ids of a conversation's members as the database has them now ({@code GET /v1/conversations/{id}}). */
    Set<String> members(String token, String conversationId) {
        Response conversation = get("/v1/conversations/" + conversationId, token);
        expect(200, conversation, "get conversation " + conversationId);
        Set<String> members = new TreeSet<>();
        conversation.body().path("members").forEach(member -> members.add(member.path("userId").asText()));
        return members;
    }

    Response get(String path, String token) {
        return send(path, token, HttpRequest.Builder::GET);
    }

    Response post(String path, String token, JsonNode body) {
        return send(path, token, request -> request.header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    Response put(String path, String token, JsonNode body) {
        return send(path, token, request -> request.header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    private Response send(String path, String token, UnaryOperator<HttpRequest.Builder> method) {
        IOException last = null;
        for (int port : ports.get()) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(TIMEOUT);
            if (token != null) {
                request.header("Authorization", "Bearer " + token);
            }
            try {
                HttpResponse<String> response = http.send(method.apply(request).build(),
                        HttpResponse.BodyHandlers.ofString());
                return new Response(response.statusCode(),
                        response.body().isEmpty() ? null : JSON.readTree(response.body()));
            } catch (IOException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted: " + path, e);
            }
        }
        throw new IllegalStateException("no gateway answered " + path + " (ports " + ports.get() + ")", last);
    }

    private static void expect(int status, Response response, String what) {
        if (response.status() != status) {
            throw new AssertionError(what + ": expected " + status + " but got " + response);
        }
    }
}
