package io.kchat.gateway.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the REST API under test; bodies as raw strings, answers as JSON trees. */
public final class ApiClient {

    /** One answer: status, the headers that matter here, and the body as JSON (null when empty). */
    public record Answer(int status, String contentType, String wwwAuthenticate, JsonNode body) {
        public String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private static final ObjectMapper MAPPER = Json.mapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    public ApiClient(int port) {
        this.base = URI.create("http://localhost:" + port);
    }

    public int port() {
        return base.getPort();
    }

    public Answer get(String path, String token) {
        return send(request(path, token).GET());
    }

    public Answer post(String path, String json, String token) {
        return send(request(path, token).POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer put(String path, String json, String token) {
        return send(request(path, token).PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer patch(String path, String json, String token) {
        return send(request(path, token).method("PATCH", HttpRequest.BodyPublishers.ofString(json)));
    }

    public Answer delete(String path, String token) {
        return send(request(path, token).DELETE());
    }

    private HttpRequest.Builder request(String path, String token) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json");
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private Answer send(HttpRequest.Builder builder) {
        try {
            HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(),
                    response.headers().firstValue("Content-Type").orElse(null),
                    response.headers().firstValue("WWW-Authenticate").orElse(null),
                    body == null || body.isEmpty() ? null : MAPPER.readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
