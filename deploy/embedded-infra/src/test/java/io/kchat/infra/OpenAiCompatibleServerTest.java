package io.kchat.infra;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.infra.OpenAiCompatibleServer.Reply;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiCompatibleServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final OpenAiCompatibleServer server = start();

    private static OpenAiCompatibleServer start() {
        try {
            return OpenAiCompatibleServer.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void stop() {
        server.close();
        client.close();
    }

    private HttpRequest request(String path, boolean stream) {
        String body = "{\"model\":\"m\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\"old\"},"
                + "{\"role\":\"assistant\",\"content\":\"a\"},{\"role\":\"user\",\"content\":\"hi there\"}]}";
        return HttpRequest.newBuilder(URI.create(server.baseUrl().replace("/v1", "") + path))
                .header("Authorization", "Bearer k1").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** The streamed content joined, and whether [DONE] ended it. */
    private static String streamed(String body) throws Exception {
        StringBuilder text = new StringBuilder();
        for (String line : body.split("\n")) {
            if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                text.append(JSON.readTree(line.substring(6)).path("choices").path(0).path("delta").path("content")
                        .asText(""));
            }
        }
        return text.toString();
    }

    @Test
    void theEchoIsStreamedOrWholeAsTheRequestAsks() throws Exception {
        server.echoChunks(3, Duration.ZERO);
        HttpResponse<String> stream = client.send(request("/v1/chat/completions", true),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, stream.statusCode());
        assertEquals(Optional.of("text/event-stream"), stream.headers().firstValue("Content-Type"));
        assertEquals("You asked: hi there", streamed(stream.body()));
        assertTrue(stream.body().strip().endsWith("data: [DONE]"));
        assertTrue(stream.body().contains("\"finish_reason\":\"stop\""));

        HttpResponse<String> whole = client.send(request("/v1/chat/completions", false),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(Optional.of("application/json"), whole.headers().firstValue("Content-Type"));
        JsonNode completion = JSON.readTree(whole.body());
        assertEquals("You asked: hi there", completion.path("choices").path(0).path("message").path("content").asText());

        assertEquals(2, server.requestCount());
        assertEquals("Bearer k1", server.lastRequest().authorization());
        assertEquals("hi there", server.lastRequest().lastUserMessage());
        assertEquals("m", server.lastRequest().model());
    }

    @Test
    void scriptedRepliesComeFirstInOrder() throws Exception {
        server.script(Reply.status(429, "2"), Reply.json("whole"));
        server.otherwise(request -> Reply.stream("next", 2, Duration.ZERO));
        HttpResponse<String> limited = client.send(request("/v1/chat/completions", true),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(429, limited.statusCode());
        assertEquals(Optional.of("2"), limited.headers().firstValue("Retry-After"));
        HttpResponse<String> json = client.send(request("/v1/chat/completions", true),
                HttpResponse.BodyHandlers.ofString());
        assertEquals("whole", JSON.readTree(json.body()).path("choices").path(0).path("message").path("content")
                .asText());
        assertEquals("next", streamed(client.send(request("/v1/chat/completions", true),
                HttpResponse.BodyHandlers.ofString()).body()));
        assertEquals(404, client.send(request("/v2/chat/completions", true), HttpResponse.BodyHandlers.ofString())
                .statusCode());
        assertEquals("/v2/chat/completions", server.lastRequest().path());
    }

    @Test
    void anEndlessStreamEndsWhenTheClientGoesAway() throws Exception {
        server.otherwise(Reply.endless("x", Duration.ofMillis(1)));
        URI base = URI.create(server.baseUrl());
        String body = "{\"model\":\"m\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.getOutputStream().write(("POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + body.length() + "\r\n\r\n" + body)
                    .getBytes(StandardCharsets.US_ASCII));
            assertEquals(2000, socket.getInputStream().readNBytes(2000).length);
            assertEquals(1, server.activeRequests());
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void closeEndsAHangAndLeavesNoThread() {
        server.otherwise(Reply.hang());
        CompletableFuture<HttpResponse<String>> hanging = client.sendAsync(request("/v1/chat/completions", true),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 1);
        long start = System.nanoTime();
        server.close();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(2).toNanos(), "close does not wait for the hang");
        assertEquals(0, server.activeRequests());
        await().atMost(Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(thread -> thread.getName().startsWith("HTTP-Dispatcher")));
        await().atMost(Duration.ofSeconds(5)).until(hanging::isDone);
    }
}
