package io.kchat.bench;

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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The REST calls a benchmark needs to set up its users and conversations. With several gateways ({@link Gateways})
 * the calls that belong to no socket go to each in turn; a device signs in on its socket's gateway.
 */
final class BenchApi {

    record Login(String userId, String deviceId, String accessToken) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PASSWORD = "bench password for loopback only";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private final HttpClient http = HttpClient.newHttpClient();
    private final Gateways gateways;
    private final AtomicInteger turn = new AtomicInteger();
    /** Usernames unique per run, so a benchmark can run again on the same data dir. */
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    BenchApi(URI base) {
        this(new Gateways(List.of(base)));
    }

    BenchApi(Gateways gateways) {
        this.gateways = gateways;
    }

    Gateways gateways() {
        return gateways;
    }

    /** The first gateway's WebSocket endpoint. */
    URI webSocket() {
        return Gateways.webSocket(gateways.first());
    }

    /** The WebSocket endpoint of socket number {@code socket}'s gateway. */
    URI webSocket(int socket) {
        return Gateways.webSocket(gateways.baseOf(socket));
    }

    Login newUser(String name) throws IOException, InterruptedException {
        String username = name + "_" + run;
        call("/v1/auth/register", null, "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", 201);
        JsonNode login = call("/v1/auth/login", null,
                "{\"username\":\"" + username + "\",\"password\":\"" + PASSWORD + "\"}", 200);
        return login(login);
    }

    String directConversation(Login from, Login to) throws IOException, InterruptedException {
        return call("/v1/conversations", from.accessToken(),
                "{\"type\":\"direct\",\"userId\":\"" + to.userId() + "\"}", 201).path("conversationId").asText();
    }

    /** A group owned by {@code owner} with {@code memberIds} (the owner not among them). */
    String groupConversation(Login owner, String title, List<String> memberIds) throws IOException, InterruptedException {
        ObjectNode body = JSON.createObjectNode().put("type", "group").put("title", title);
        memberIds.forEach(body.putArray("memberIds")::add);
        return call("/v1/conversations", owner.accessToken(), body.toString(), 201).path("conversationId").asText();
    }

    /** {@code GET path} as {@code who}; the JSON answer. */
    JsonNode get(String path, Login who) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(nextBase().resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + who.accessToken()).GET().build();
        return answer(request, http.send(request, HttpResponse.BodyHandlers.ofString()), 200);
    }

    /** {@code PUT path} with a JSON body as {@code who}, expecting {@code expected}. */
    JsonNode put(String path, Login who, JsonNode body, int expected) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(nextBase().resolve(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + who.accessToken()).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build();
        return answer(request, http.send(request, HttpResponse.BodyHandlers.ofString()), expected);
    }

    /** {@code POST path} with a JSON body as {@code who}, expecting {@code expected}. */
    JsonNode post(String path, Login who, JsonNode body, int expected) throws IOException, InterruptedException {
        return post(nextBase(), http, path, who.accessToken(), body, expected);
    }

    /** {@code {users, connections}} connected across all gateways. */
    JsonNode onlineStats(Login any) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(nextBase().resolve("/v1/stats/online")).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + any.accessToken()).GET().build();
        return answer(request, http.send(request, HttpResponse.BodyHandlers.ofString()), 200);
    }

    /** POSTs JSON through {@code client} (e.g. one bound to another source address) to the gateway of {@code socket}. */
    JsonNode post(int socket, HttpClient client, String path, String token, JsonNode body, int expected)
            throws IOException, InterruptedException {
        return post(gateways.baseOf(socket), client, path, token, body, expected);
    }

    private JsonNode post(URI base, HttpClient client, String path, String token, JsonNode body, int expected)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpRequest built = request.build();
        return answer(built, client.send(built, HttpResponse.BodyHandlers.ofString()), expected);
    }

    static Login login(JsonNode answer) {
        return new Login(answer.path("userId").asText(), answer.path("deviceId").asText(),
                answer.path("accessToken").asText());
    }

    private JsonNode call(String path, String token, String body, int expected) throws IOException, InterruptedException {
        return post(nextBase(), http, path, token, JSON.readTree(body), expected);
    }

    /** The gateways in turn (always the one with a single gateway). */
    private URI nextBase() {
        return gateways.baseOf(turn.getAndIncrement());
    }

    private static JsonNode answer(HttpRequest request, HttpResponse<String> response, int expected) throws IOException {
        if (response.statusCode() != expected) {
            throw new IllegalStateException(request.uri().getPath() + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body().isEmpty() ? JSON.createObjectNode() : JSON.readTree(response.body());
    }
}
