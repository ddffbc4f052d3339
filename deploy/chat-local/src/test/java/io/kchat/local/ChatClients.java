package io.kchat.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntSupplier;
import java.util.function.Predicate;

/** What the end-to-end tests do as a client would: connect until synced, send, wait for frames. */
final class ChatClients {

    static final Duration WAIT = Duration.ofSeconds(30);
    private final IntSupplier port;

    /** {@code port} is asked at each connect: a restarted stack listens on a new one. */
    ChatClients(IntSupplier port) {
        this.port = port;
    }

    static String token(JsonNode login) {
        return login.path("accessToken").asText();
    }

    static String userId(JsonNode login) {
        return login.path("userId").asText();
    }

    /** Connected, `ready` checked, and everything queued received up to `synced`. */
    WsClient online(JsonNode login) throws InterruptedException {
        WsClient client = WsClient.connect(port.getAsInt(), token(login));
        JsonNode ready = client.awaitType("ready");
        assertEquals(userId(login), ready.path("userId").asText());
        client.awaitType("synced");
        return client;
    }

    static Predicate<JsonNode> type(String type) {
        return frame -> frame.path("type").asText().equals(type);
    }

    static Predicate<JsonNode> messageWithId(String id) {
        return frame -> frame.path("type").asText().equals("message") && frame.path("id").asText().equals(id);
    }

    static JsonNode message(WsClient client, String id) throws InterruptedException {
        return client.await(messageWithId(id), WAIT);
    }

    /** Delivery is at-least-once on the wire: a client keeps the first frame of each userSeq, as this does. */
    static List<JsonNode> firstOfEachUserSeq(List<JsonNode> frames) {
        Set<Long> seen = new HashSet<>();
        return frames.stream().filter(f -> !f.has("userSeq") || seen.add(f.path("userSeq").asLong())).toList();
    }

    static String sendFrame(String conversationId, String id, String body) {
        return "{\"type\":\"send\",\"id\":\"" + id + "\",\"conversationId\":\"" + conversationId
                + "\",\"body\":\"" + body + "\"}";
    }
}
