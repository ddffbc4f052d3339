package io.kchat.gateway.otp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * POSTs {@code {"to": phone, "text": text}} as JSON to an SMS provider's (or a relay's) URL with the configured
 * headers (credentials, typically). Any answer but 2xx, and no answer within the timeout, is a failure. The text
 * carries the code, so neither it nor the request body is ever logged, nor put in an exception message.
 */
public final class WebhookSmsSender implements SmsSender {

    private static final ObjectMapper MAPPER = Json.mapper();

    private final URI url;
    private final Map<String, String> headers;
    private final Duration timeout;
    private final HttpClient http;

    public WebhookSmsSender(URI url, Map<String, String> headers, Duration timeout) {
        this.url = url;
        this.headers = Map.copyOf(headers);
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        // fail at start, not at the first code, for a header HttpClient refuses to set (Host, Content-Length...)
        request("{}");
    }

    @Override
    public void send(String phone, String text) throws SmsDeliveryException {
        HttpResponse<Void> response;
        try {
            response = http.send(request(body(phone, text)), HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new SmsDeliveryException("SMS webhook " + url + " unreachable or too slow", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SmsDeliveryException("interrupted while calling the SMS webhook " + url);
        }
        if (response.statusCode() / 100 != 2) {
            throw new SmsDeliveryException("SMS webhook " + url + " answered " + response.statusCode());
        }
    }

    private HttpRequest request(String json) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json));
        headers.forEach(builder::header);
        return builder.build();
    }

    private static String body(String phone, String text) {
        try {
            return MAPPER.writeValueAsString(Map.of("to", phone, "text", text));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise an SMS", e);
        }
    }
}
