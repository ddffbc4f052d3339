package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.firstOfEachUserSeq;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replies, edits, reactions and deletes through all three services with raw frames (D13): while one member is offline
 * the other answers, edits, reacts and deletes; back online, the member's replay brings the messages and then each
 * update in the order it was made, each once, and a refused update reaches only its author.
 */
class MessageUpdatesE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("updates", stateDir);
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void updatesMadeWhileAMemberIsOfflineReachThemInOrderAfterTheMessages() throws Exception {
        http.newUser("upd_ann");
        http.newUser("upd_ben");
        JsonNode ann = http.login("upd_ann", "ann-phone");
        JsonNode ben = http.login("upd_ben", "ben-phone");
        Http.Response created = http.post("/v1/conversations", ChatClients.token(ann),
                "{\"type\":\"direct\",\"userId\":\"" + ChatClients.userId(ben) + "\"}");
        assertEquals(201, created.status(), created.toString());
        String conversationId = created.body().path("conversationId").asText();

        try (WsClient annWs = clients.online(ann)) {
            try (WsClient benWs = clients.online(ben)) {
                benWs.send(ChatClients.sendFrame(conversationId, "q-1", "lunch?"));
                assertEquals(1, message(annWs, "q-1").path("seq").asLong());
            }
            // ben is offline from here on
            annWs.send(frame("send", "a-1", conversationId).put("body", "yes at noom").put("replyTo", 1).toString());
            JsonNode answer = message(annWs, "a-1");
            assertEquals(1, answer.path("replyTo").asLong());
            annWs.send(frame("edit", "a-2", conversationId).put("seq", 2).put("body", "yes at noon").toString());
            annWs.send(frame("react", "a-3", conversationId).put("seq", 1).put("key", "👍").toString());
            annWs.send(frame("react", "a-4", conversationId).put("seq", 1).put("key", "🍕").toString());
            annWs.send(frame("react", "a-5", conversationId).put("seq", 1).put("key", "🍕").put("remove", true)
                    .toString());
            annWs.send(frame("edit", "a-6", conversationId).put("seq", 1).put("body", "not mine").toString());
            JsonNode refused = annWs.await(f -> type("error").test(f) && f.path("id").asText().equals("a-6"), WAIT);
            assertEquals("forbidden", refused.path("code").asText(), refused.toString());
            annWs.send(frame("delete", "a-7", conversationId).put("seq", 2).toString());
            JsonNode deleted = annWs.await(update("delete"), WAIT);
            assertEquals(2, deleted.path("seq").asLong());
        }

        try (WsClient benWs = WsClient.connect(stack.port(), ChatClients.token(ben))) {
            List<JsonNode> replayed = firstOfEachUserSeq(benWs.collectUntil(type("synced"), WAIT)).stream()
                    .filter(f -> type("message").test(f) || type("message_update").test(f) || type("error").test(f))
                    .toList();
            assertEquals(List.of("message:1", "message:2", "edit:2", "reaction:1", "reaction:1", "reaction:1",
                    "delete:2"), replayed.stream().map(MessageUpdatesE2EIT::describe).toList(), replayed.toString());
            assertEquals(1, replayed.get(1).path("replyTo").asLong());
            assertEquals("yes at noon", replayed.get(2).path("body").asText());
            assertEquals(List.of("👍+", "🍕+", "🍕-"), replayed.subList(3, 6).stream()
                    .map(f -> f.path("key").asText() + (f.path("remove").asBoolean() ? "-" : "+")).toList());
            assertFalse(replayed.stream().anyMatch(type("error")), "ann's refused edit is hers alone");
            await().atMost(WAIT).until(() -> view(conversationId, ben).path("lastSeq").asLong() == 2);
            assertEquals(1, view(conversationId, ben).path("unread").asLong(),
                    "updates are never unread: only ann's message is");
        }
    }

    private static JsonNode view(String conversationId, JsonNode login) throws Exception {
        return http.get("/v1/conversations/" + conversationId, ChatClients.token(login)).body();
    }

    private static ObjectNode frame(String type, String id, String conversationId) {
        return JSON.createObjectNode().put("type", type).put("id", id).put("conversationId", conversationId);
    }

    private static Predicate<JsonNode> update(String kind) {
        return f -> type("message_update").test(f) && f.path("kind").asText().equals(kind);
    }

    private static String describe(JsonNode frame) {
        return switch (frame.path("type").asText()) {
            case "message" -> "message:" + frame.path("seq").asLong();
            case "message_update" -> frame.path("kind").asText() + ":" + frame.path("seq").asLong();
            default -> frame.path("type").asText();
        };
    }
}
