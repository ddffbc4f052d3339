package io.kchat.assistant.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.Locale;

/**
 * What one piece of a chat completion says: {@code choices[0]} of a streamed chunk ({@code delta}) or of a whole
 * completion ({@code message}), or the {@code [DONE]} that ends a stream. An {@code error} object is an
 * {@link AttemptFailure}, classified by its type or code; anything that is not such JSON is garbage.
 *
 * @param text         the answer's next text, possibly empty
 * @param thinking     the model is at work without answer text yet (a reasoning model's {@code reasoning_content})
 * @param finishReason why the model stopped, when this piece says it did ({@code stop}, {@code length}, ...)
 * @param done         the stream's {@code [DONE]}
 */
record CompletionChunk(String text, boolean thinking, String finishReason, boolean done) {

    static final CompletionChunk DONE = new CompletionChunk("", false, null, true);
    private static final CompletionChunk NOTHING = new CompletionChunk("", false, null, false);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Whether the model says it finished: the answer is complete. */
    boolean finished() {
        return done || finishReason != null;
    }

    /** The model stopped at its token limit: it would have gone on. */
    boolean cutByModel() {
        return "length".equals(finishReason);
    }

    /** The data of one server-sent event of a streamed completion. */
    static CompletionChunk streamed(String data) throws AttemptFailure {
        if (data.strip().equals("[DONE]")) {
            return DONE;
        }
        JsonNode chunk = object(data);
        JsonNode choice = chunk.path("choices").path(0);
        if (!choice.isObject()) {
            return NOTHING; // a usage or keep-alive chunk
        }
        JsonNode delta = choice.path("delta");
        return new CompletionChunk(textOf(delta.path("content")),
                !textOf(delta.path("reasoning_content")).isEmpty() || !textOf(delta.path("reasoning")).isEmpty(),
                finishReason(choice), false);
    }

    /** A whole (non-streamed) completion, from a server that ignored {@code stream: true} or was asked so. */
    static CompletionChunk complete(String body) throws AttemptFailure {
        JsonNode completion = object(body);
        JsonNode choice = completion.path("choices").path(0);
        if (!choice.path("message").isObject()) {
            throw AttemptFailure.retryable(FailureKind.GARBAGE, "a JSON answer without choices[0].message");
        }
        String reason = finishReason(choice);
        return new CompletionChunk(textOf(choice.path("message").path("content")), false,
                reason == null ? "stop" : reason, false);
    }

    private static JsonNode object(String text) throws AttemptFailure {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw AttemptFailure.retryable(FailureKind.GARBAGE, "data that is not JSON");
        } catch (IOException e) {
            throw new IllegalStateException(e); // a String is no I/O
        }
        if (node == null || !node.isObject()) {
            throw AttemptFailure.retryable(FailureKind.GARBAGE, "JSON that is no object");
        }
        if (node.has("error") && !node.get("error").isNull()) {
            throw providerError(node.get("error"));
        }
        return node;
    }

    private static String textOf(JsonNode node) {
        return node.isTextual() ? node.asText() : "";
    }

    private static String finishReason(JsonNode choice) {
        JsonNode reason = choice.path("finish_reason");
        return reason.isTextual() && !reason.asText().isEmpty() ? reason.asText() : null;
    }

    /**
     * An error the API sent inside an answer: rate limits and server trouble are worth another attempt, a request the
     * API refuses (invalid, too long, filtered, not allowed) is not. Only its type goes to the log.
     */
    static AttemptFailure providerError(JsonNode error) {
        String type = (error.path("type").asText("") + " " + error.path("code").asText(""))
                .toLowerCase(Locale.ROOT).strip();
        String shown = type.matches("[a-z0-9_ ]{1,60}") ? type : "unknown";
        String message = "an error object in the answer (" + shown + ")";
        if (type.contains("rate_limit")) {
            return AttemptFailure.retryable(FailureKind.RATE_LIMITED, message);
        }
        for (String refusal : new String[] {"invalid_request", "context_length", "content_filter", "content_policy",
                "authentication", "permission", "not_found", "invalid_api_key", "insufficient_quota"}) {
            if (type.contains(refusal)) {
                return AttemptFailure.fatal(FailureKind.REFUSED, message);
            }
        }
        return AttemptFailure.retryable(FailureKind.UNAVAILABLE, message);
    }
}
