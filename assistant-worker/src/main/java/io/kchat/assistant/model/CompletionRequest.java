package io.kchat.assistant.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpRequest;
import java.util.List;

/** The chat-completions request for a context, streamed; the key only in its header (HttpRequest prints none). */
final class CompletionRequest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private CompletionRequest() {
    }

    static HttpRequest of(ModelClientConfig config, List<ChatTurn> turns) {
        HttpRequest.Builder request = HttpRequest.newBuilder(config.completionsUri())
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(config, turns)));
        config.apiKey().ifPresent(key -> request.header("Authorization", "Bearer " + key));
        return request.build();
    }

    static byte[] body(ModelClientConfig config, List<ChatTurn> turns) {
        ObjectNode body = JSON.createObjectNode().put("model", config.model());
        ArrayNode messages = body.putArray("messages");
        for (ChatTurn turn : turns) {
            messages.addObject().put("role", turn.role().wireName()).put("content", turn.content());
        }
        body.put("stream", true);
        config.maxTokens().ifPresent(tokens -> body.put("max_tokens", tokens));
        try {
            return JSON.writeValueAsBytes(body);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e); // a tree of strings always serialises
        }
    }
}
