package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * REST request decoding, fuzzed over a real socket through the public API of the decode path ({@link JsonBodies#read},
 * {@link Requests}) and the gateway's error handling ({@link ProblemHandlers}, {@link UndecodableBodies}). The input
 * is a query value (at most 200 bytes) and a body, split at the first newline. Every answer is 200 or a 400/413 problem JSON with its
 * code, never a 500; a route stands in for a handler that publishes what it decoded, and nothing is "published" for
 * a refused request. The saved inputs under {@code src/test/resources/io/kchat/gateway/http/JsonBodyFuzzTestInputs}
 * run as a regression test.
 */
class JsonBodyFuzzTest {

    /** The shapes of our request bodies: strings, ids, a list, a flag, a number. */
    record Body(String type, String title, String userId, List<String> memberIds, String id, String body,
                Boolean active, Long seq) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_QUERY_BYTES = 200;
    private static final Set<String> PROBLEM_CODES = Set.of("bad_request", "too_large");
    private static final List<Body> PUBLISHED = new CopyOnWriteArrayList<>();
    private static final WebServer SERVER = WebServer.builder()
            .port(0)
            .host("127.0.0.1")
            .routing(routing -> {
                ProblemHandlers.register(routing);
                UndecodableBodies.register(routing);
                routing.post("/fuzz", JsonBodyFuzzTest::decode);
            })
            .build()
            .start();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @FuzzTest(maxDuration = "5m")
    void everyRequestIsDecodedOrRefusedWithAProblem(byte[] input) throws IOException, InterruptedException {
        int newline = indexOf(input, (byte) '\n');
        // bounded: a request line over Helidon's prologue limit is refused (414) before any of our code runs
        String query = newline < 0 ? "" : new String(input, 0, Math.min(newline, MAX_QUERY_BYTES), StandardCharsets.UTF_8);
        byte[] body = newline < 0 ? input : Arrays.copyOfRange(input, newline + 1, input.length);
        String encoded = URLEncoder.encode(query, StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:" + SERVER.port() + "/fuzz?limit=" + encoded + "&before=" + encoded);
        int published = PUBLISHED.size();

        HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(), HttpResponse.BodyHandlers.ofString());

        if (answer.statusCode() == 200) {
            assertEquals(published + 1, PUBLISHED.size());
            return;
        }
        assertTrue(answer.statusCode() == 400 || answer.statusCode() == 413,
                answer.statusCode() + " " + answer.body());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElse(null));
        JsonNode problem = JSON.readTree(answer.body());
        assertTrue(PROBLEM_CODES.contains(problem.path("code").asText()), answer.body());
        assertEquals(answer.statusCode(), problem.path("status").asInt());
        assertEquals(published, PUBLISHED.size(), "a refused request publishes nothing");
    }

    /** A handler's first steps: decode the body and the query, then act (here: record what it would publish). */
    private static void decode(ServerRequest request, ServerResponse response) {
        Body body = JsonBodies.read(request, Body.class);
        int limit = Requests.intQueryParam(request, "limit", 50);
        Long before = Requests.nonNegativeLongQueryParam(request, "before");
        PUBLISHED.add(body);
        JsonResponses.ok(response, new Object[] {limit, before});
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
