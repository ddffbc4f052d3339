package io.kchat.gateway.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import io.kchat.gateway.json.Json;

/** Writes JSON bodies with the gateway's one mapper. */
public final class JsonResponses {

    static final String APPLICATION_JSON = "application/json";
    static final String PROBLEM_JSON = "application/problem+json";
    private static final ObjectMapper MAPPER = Json.mapper();

    private JsonResponses() {
    }

    public static void send(ServerResponse response, int status, Object body) {
        write(response, status, APPLICATION_JSON, body);
    }

    public static void ok(ServerResponse response, Object body) {
        send(response, 200, body);
    }

    public static void noContent(ServerResponse response) {
        response.status(Status.NO_CONTENT_204).send();
    }

    static void write(ServerResponse response, int status, String contentType, Object body) {
        byte[] bytes;
        try {
            bytes = MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + body.getClass().getSimpleName(), e);
        }
        response.status(Status.create(status));
        response.header(HeaderNames.CONTENT_TYPE, contentType);
        response.send(bytes);
    }
}
