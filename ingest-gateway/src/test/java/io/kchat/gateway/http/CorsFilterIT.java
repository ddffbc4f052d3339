package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helidon.http.Status;
import io.helidon.webserver.WebServer;
import io.kchat.gateway.origins.OriginPolicy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * CORS as browsers see it, on a real server with the gateway's filter and problem handlers in front of stand-in
 * routes: an allowed origin (the gateway's own, or one of WS_ALLOWED_ORIGINS) gets its preflight and its answers,
 * errors included; any other origin gets no CORS header at all.
 */
class CorsFilterIT {

    private static final String ALLOWED = "https://app.example";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static WebServer server;

    @BeforeAll
    static void start() {
        CorsFilter cors = new CorsFilter(new OriginPolicy(Set.of(ALLOWED), Set.of(), false));
        server = WebServer.builder()
                .port(0)
                .host("127.0.0.1")
                .routing(http -> {
                    http.addFilter(cors);
                    ProblemHandlers.register(http);
                    http.post("/v1/things", (request, response) -> response.status(Status.CREATED_201)
                                    .header("Location", "/v1/things/1").send("{}"))
                            .get("/v1/refused", (request, response) -> {
                                throw new ApiException(401, ProblemCode.UNAUTHORIZED, "Unauthorized", "no token");
                            })
                            .get("/health", (request, response) -> response.send("ok"));
                })
                .build()
                .start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    @Test
    void aPreflightFromAnAllowedOriginIsAnsweredWithWhatTheApiNeeds() throws Exception {
        HttpResponse<String> preflight = preflight(ALLOWED, "POST", "authorization, content-type");

        assertEquals(204, preflight.statusCode());
        assertEquals(List.of(ALLOWED), header(preflight, "Access-Control-Allow-Origin"), "that origin, never *");
        assertTrue(header(preflight, "Access-Control-Allow-Methods").getFirst().contains("POST"));
        assertEquals(List.of("Authorization, Content-Type, Range"), header(preflight, "Access-Control-Allow-Headers"));
        assertEquals(List.of("600"), header(preflight, "Access-Control-Max-Age"));
        assertEquals(List.of(), header(preflight, "Access-Control-Allow-Credentials"));
    }

    @Test
    void theGatewaysOwnOriginIsAllowedWithoutBeingConfigured() throws Exception {
        HttpResponse<String> preflight = preflight("http://127.0.0.1:" + server.port(), "GET", "authorization");

        assertEquals(204, preflight.statusCode());
        assertEquals(List.of("http://127.0.0.1:" + server.port()), header(preflight, "Access-Control-Allow-Origin"));
    }

    @Test
    void answersToAnAllowedOriginNameItAndExposeRetryAfterAndLocationErrorsIncluded() throws Exception {
        HttpResponse<String> created = HTTP.send(HttpRequest.newBuilder(uri("/v1/things")).header("Origin", ALLOWED)
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode());
        assertEquals(List.of(ALLOWED), header(created, "Access-Control-Allow-Origin"));
        assertEquals(List.of("Retry-After, Location, Content-Range, Content-Disposition, ETag"), header(created, "Access-Control-Expose-Headers"));

        HttpResponse<String> refused = get("/v1/refused", ALLOWED);
        assertEquals(401, refused.statusCode());
        assertTrue(refused.body().contains("\"code\":\"unauthorized\""), refused.body());
        assertEquals(List.of(ALLOWED), header(refused, "Access-Control-Allow-Origin"),
                "a page must be able to read why it was refused");
    }

    @Test
    void anyOtherOriginGetsNoCorsHeaderAtAll() throws Exception {
        HttpResponse<String> preflight = preflight("https://evil.example", "POST", "authorization");
        assertEquals(403, preflight.statusCode());
        assertTrue(preflight.body().contains("\"code\":\"forbidden\""), preflight.body());
        assertEquals(Map.of(), cors(preflight));

        HttpResponse<String> refused = get("/v1/refused", "https://evil.example");
        assertEquals(401, refused.statusCode());
        assertEquals(Map.of(), cors(refused));
        assertEquals(Map.of(), cors(get("/v1/refused", "null")), "an opaque origin is no origin of ours");
    }

    @Test
    void requestsWithoutAnOriginAndRoutesOutsideTheApiAreLeftAlone() throws Exception {
        HttpResponse<String> noOrigin = HTTP.send(HttpRequest.newBuilder(uri("/v1/refused")).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noOrigin.statusCode());
        assertEquals(Map.of(), cors(noOrigin));
        HttpResponse<String> health = get("/health", ALLOWED);
        assertEquals(200, health.statusCode());
        assertEquals(Map.of(), cors(health));
    }

    private static HttpResponse<String> preflight(String origin, String method, String headers) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri("/v1/things"))
                .header("Origin", origin)
                .header("Access-Control-Request-Method", method)
                .header("Access-Control-Request-Headers", headers)
                .method("OPTIONS", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path, String origin) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(uri(path)).header("Origin", origin).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    private static List<String> header(HttpResponse<?> response, String name) {
        return response.headers().allValues(name);
    }

    /** The response's Access-Control-* headers. */
    private static Map<String, List<String>> cors(HttpResponse<?> response) {
        return Map.copyOf(response.headers().map().entrySet().stream()
                .filter(e -> e.getKey().toLowerCase(Locale.ROOT).startsWith("access-control-"))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }
}
