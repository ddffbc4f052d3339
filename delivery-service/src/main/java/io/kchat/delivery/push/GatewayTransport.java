package io.kchat.delivery.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A {@code gateway} subscription's push: POSTed as JSON to the operator's push gateway (PUSH_GATEWAY_URL) in the
 * Matrix push-gateway shape, which turns it into an FCM or APNs notification. The gateway answers 200 with the push
 * keys the platform refused for good in {@code rejected}. The URL is the operator's own: it is not held to the
 * endpoint policy of the subscriptions' endpoints.
 */
final class GatewayTransport implements PushTransport {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** An answer is a small JSON object; a longer one is not read. */
    private static final int MAX_ANSWER_BYTES = 64 * 1024;

    private final HttpClient http;
    private final Optional<URI> url;
    private final Duration timeout;
    private final Clock clock;

    GatewayTransport(HttpClient http, Optional<URI> url, Duration timeout, Clock clock) {
        this.http = http;
        this.url = url;
        this.timeout = timeout;
        this.clock = clock;
    }

    @Override
    public Answer send(Subscription subscription, PushPayload payload)
            throws Refused, IOException, InterruptedException {
        URI target = url.orElseThrow(() -> new Refused("no PUSH_GATEWAY_URL is configured"));
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(
                        payload.toGatewayJson(subscription.appId(), subscription.pushKey())))
                .build();
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
                .flatMap(value -> RetryAfter.parse(value, clock.instant()));
        List<String> rejected = response.statusCode() == 200 ? rejected(response.body()) : List.of();
        return new Answer(response.statusCode(), retryAfter, rejected);
    }

    /** The {@code rejected} keys of a 200 answer; none when the body is not the expected JSON. */
    private static List<String> rejected(byte[] body) {
        if (body == null || body.length == 0 || body.length > MAX_ANSWER_BYTES) {
            return List.of();
        }
        try {
            JsonNode keys = JSON.readTree(body).path("rejected");
            List<String> rejected = new ArrayList<>();
            keys.forEach(key -> {
                if (key.isTextual()) {
                    rejected.add(key.asText());
                }
            });
            return rejected;
        } catch (IOException e) {
            return List.of();
        }
    }
}
