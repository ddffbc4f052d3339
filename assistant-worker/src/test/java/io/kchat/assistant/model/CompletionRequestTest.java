package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class CompletionRequestTest {

    private static final List<ChatTurn> TURNS = List.of(new ChatTurn(ChatTurn.Role.SYSTEM, "Be brief."),
            new ChatTurn(ChatTurn.Role.USER, "Hi \"there\""), new ChatTurn(ChatTurn.Role.ASSISTANT, "Hello."),
            new ChatTurn(ChatTurn.Role.USER, "Why?"));
    private static final ModelClientConfig CONFIG = ModelClientConfig.of(URI.create("http://127.0.0.1:1/v1/"), "m1");

    @Test
    void theBodyNamesTheModelTheTurnsAndAsksForAStream() throws Exception {
        JsonNode body = new ObjectMapper().readTree(CompletionRequest.body(CONFIG, TURNS));
        assertEquals("m1", body.path("model").asText());
        assertTrue(body.path("stream").asBoolean());
        assertFalse(body.has("max_tokens"));
        assertEquals(4, body.path("messages").size());
        assertEquals("system", body.path("messages").path(0).path("role").asText());
        assertEquals("Hi \"there\"", body.path("messages").path(1).path("content").asText());
        assertEquals("assistant", body.path("messages").path(2).path("role").asText());

        JsonNode limited = new ObjectMapper().readTree(CompletionRequest.body(
                CONFIG.withLimits(100, OptionalInt.of(256), 4096), TURNS));
        assertEquals(256, limited.path("max_tokens").asInt());
    }

    @Test
    void theKeyGoesOnlyIntoItsHeader() {
        HttpRequest without = CompletionRequest.of(CONFIG, TURNS);
        assertEquals(Optional.empty(), without.headers().firstValue("Authorization"));
        assertEquals(Optional.of("text/event-stream"), without.headers().firstValue("Accept"));
        assertEquals(URI.create("http://127.0.0.1:1/v1/chat/completions"), without.uri());
        assertEquals("POST", without.method());

        HttpRequest with = CompletionRequest.of(CONFIG.withApiKey("sk-secret"), TURNS);
        assertEquals(Optional.of("Bearer sk-secret"), with.headers().firstValue("Authorization"));
        assertFalse(with.toString().contains("sk-secret"));
    }
}
