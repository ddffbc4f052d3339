package io.kchat.gateway.otp;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Calls the OTP endpoints as a client behind a given address (sent as X-Forwarded-For through a trusted proxy). */
final class OtpClient {

    record Reply(int status, HttpHeaders headers, JsonNode body) {
        String text(String field) {
            return body.path(field).asText(null);
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final URI base;

    OtpClient(int port) {
        this.base = URI.create("http://127.0.0.1:" + port);
    }

    Reply request(String phone, String clientIp) {
        return post("/v1/auth/otp/request", "{\"phone\":\"" + phone + "\"}", clientIp);
    }

    Reply verify(String phone, String code, String requestId, String clientIp) {
        String request = requestId == null ? "" : ",\"requestId\":\"" + requestId + "\"";
        return post("/v1/auth/otp/verify", "{\"phone\":\"" + phone + "\",\"code\":\"" + code + "\"" + request + "}",
                clientIp);
    }

    Reply post(String path, String json, String clientIp) {
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .header("X-Forwarded-For", clientIp)
                .POST(HttpRequest.BodyPublishers.ofString(json))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Reply(response.statusCode(), response.headers(),
                    body == null || body.isEmpty() ? null : Json.mapper().readTree(body));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
