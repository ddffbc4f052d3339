package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.infra.OpenAiCompatibleServer;
import io.kchat.infra.OpenAiCompatibleServer.Reply;
import io.kchat.schemas.AssistantUser;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The assistant through the whole stack as ./chat-local runs it, against a local OpenAI-compatible server: a person
 * opens an assistant conversation and asks; the answer streams to their socket as {@code assistant_stream} frames
 * (worker, chat.assistant-stream, delivery-service, egress, gateway) and then arrives as the assistant's message
 * (chat.inbound, processor, their log), stays in history, and is the context of the next question (the archive).
 * A stop ends an endless answer with what was written; a model that keeps failing gets one failed answer.
 */
class AssistantE2EIT {

    @TempDir
    static Path stateDir;
    private static OpenAiCompatibleServer model;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        model = OpenAiCompatibleServer.start();
        model.echoChunks(3, Duration.ofMillis(20));
        stack = new LocalStack("assistant", stateDir, Map.of(
                "ASSISTANT_BASE_URL", model.baseUrl(),
                "ASSISTANT_MODEL", "e2e-model",
                "ASSISTANT_RETRY_BACKOFF", "50ms"));
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            stack.close();
        } finally {
            model.close();
        }
    }

    @Test
    void twoQuestionsAreAnsweredOnceEachStreamedThenKeptAndTheFirstIsTheSecondsContext() throws Exception {
        http.newUser("ai_ada");
        JsonNode ada = http.login("ai_ada", "ada-laptop");
        Http.Response offered = http.get("/v1/assistant", ChatClients.token(ada));
        assertEquals(200, offered.status(), offered.toString());
        assertEquals(AssistantUser.ID, offered.body().path("userId").asText());
        assertEquals("e2e-model", offered.body().path("model").asText());
        String conversationId = newAssistantChat(ada);

        try (WsClient ws = clients.online(ada)) {
            JsonNode first = ask(ws, conversationId, "What is Kafka?");
            assertEquals("You asked: What is Kafka?", first.path("body").asText());
            JsonNode second = ask(ws, conversationId, "And Kafka Streams?");
            assertEquals("You asked: And Kafka Streams?", second.path("body").asText());

            List<String> context = model.lastRequest().messages();
            assertTrue(context.contains("user: What is Kafka?")
                            && context.contains("assistant: You asked: What is Kafka?"),
                    "the first question and its answer are the second's context: " + context);
            assertEquals("e2e-model", model.lastRequest().model());
        }

        await().atMost(WAIT).until(() -> history(conversationId, ada).size() == 4);
        List<JsonNode> history = history(conversationId, ada);
        assertEquals(List.of("What is Kafka?", "You asked: What is Kafka?", "And Kafka Streams?",
                "You asked: And Kafka Streams?"), history.stream().map(m -> m.path("body").asText()).toList());
        assertEquals(AssistantUser.ID, history.get(1).path("senderId").asText());
        assertEquals(1, history.get(1).path("replyTo").asLong());
        assertEquals(3, history.get(3).path("replyTo").asLong());
        assertFalse(history.get(3).path("failed").asBoolean());
    }

    @Test
    void aStopEndsAnEndlessAnswerWithWhatWasWritten() throws Exception {
        http.newUser("ai_bea");
        JsonNode bea = http.login("ai_bea", "bea-laptop");
        String conversationId = newAssistantChat(bea);
        model.script(Reply.endless("la ", Duration.ofMillis(30)));
        try (WsClient ws = clients.online(bea)) {
            long seq = send(ws, conversationId, "Sing forever");
            ws.await(stream(conversationId, seq).and(f -> !f.path("delta").asText().isEmpty()), WAIT);
            ws.send("{\"type\":\"assistant_stop\",\"ref\":\"stop-1\",\"conversationId\":\"" + conversationId
                    + "\",\"replyTo\":" + seq + "}");
            ws.await(f -> type("ok").test(f) && f.path("ref").asText().equals("stop-1"), WAIT);
            JsonNode answer = ws.await(answerTo(conversationId, seq), WAIT);
            // what was written when the stop came: one piece at least (the test stopped after the first), no other text
            assertTrue(answer.path("body").asText().matches("(la )+"), answer.toString());
            assertFalse(answer.path("failed").asBoolean(), "stopped is not failed: " + answer);
        }
        await().atMost(WAIT).until(() -> model.activeRequests() == 0);
    }

    @Test
    void aModelThatKeepsFailingGetsOneFailedAnswer() throws Exception {
        http.newUser("ai_cal");
        JsonNode cal = http.login("ai_cal", "cal-laptop");
        String conversationId = newAssistantChat(cal);
        int before = model.requestCount();
        model.script(Reply.status(500), Reply.status(503), Reply.status(500));
        try (WsClient ws = clients.online(cal)) {
            long seq = send(ws, conversationId, "Are you there?");
            JsonNode answer = ws.await(answerTo(conversationId, seq), WAIT);
            assertTrue(answer.path("failed").asBoolean(), answer.toString());
            assertFalse(answer.path("body").asText().isBlank(), answer.toString());
            assertFalse(answer.path("body").asText().contains(model.baseUrl()), "no provider detail: " + answer);
            assertEquals(before + 3, model.requestCount(), "three attempts, then the failed answer");
            assertTrue(ws.drain(Duration.ofSeconds(1)).stream().noneMatch(answerTo(conversationId, seq)),
                    "one answer only");
        }
    }

    private static String newAssistantChat(JsonNode login) throws Exception {
        Http.Response created = http.post("/v1/assistant/conversations", ChatClients.token(login),
                "{\"title\":\"Questions\"}");
        assertEquals(201, created.status(), created.toString());
        assertEquals("assistant", created.body().path("type").asText(), created.toString());
        return created.body().path("conversationId").asText();
    }

    /** Sends {@code question}, follows its stream to {@code done} and returns the answer message. */
    private static JsonNode ask(WsClient ws, String conversationId, String question) throws Exception {
        long seq = send(ws, conversationId, question);
        StringBuilder streamed = new StringBuilder();
        List<JsonNode> parts = new ArrayList<>();
        JsonNode part;
        do {
            part = ws.await(stream(conversationId, seq), WAIT);
            parts.add(part);
            int offset = part.path("offset").asInt();
            if (offset == 0) {
                streamed.setLength(0);
            }
            assertEquals(streamed.length(), offset, "parts in order: " + parts);
            streamed.append(part.path("delta").asText());
        } while (!part.path("done").asBoolean());
        assertTrue(parts.size() > 2, "streamed in parts, not all at once: " + parts);
        JsonNode answer = ws.awaitSeenOrNext(answerTo(conversationId, seq), WAIT);
        assertEquals(streamed.toString(), answer.path("body").asText(), "the stream is the answer");
        assertFalse(answer.path("failed").asBoolean(), answer.toString());
        return answer;
    }

    /** Sends {@code body} and returns its seq, from the echo. */
    private static long send(WsClient ws, String conversationId, String body) throws InterruptedException {
        String id = UUID.randomUUID().toString();
        ws.send(ChatClients.sendFrame(conversationId, id, body));
        return ChatClients.message(ws, id).path("seq").asLong();
    }

    private static Predicate<JsonNode> stream(String conversationId, long replyTo) {
        return f -> type("assistant_stream").test(f) && f.path("conversationId").asText().equals(conversationId)
                && f.path("replyTo").asLong() == replyTo;
    }

    private static Predicate<JsonNode> answerTo(String conversationId, long replyTo) {
        return f -> type("message").test(f) && f.path("conversationId").asText().equals(conversationId)
                && f.path("senderId").asText().equals(AssistantUser.ID) && f.path("replyTo").asLong() == replyTo;
    }

    private static List<JsonNode> history(String conversationId, JsonNode login) throws Exception {
        List<JsonNode> messages = new ArrayList<>();
        http.get("/v1/conversations/" + conversationId + "/messages", ChatClients.token(login)).body()
                .path("messages").forEach(messages::add);
        messages.sort((a, b) -> Long.compare(a.path("seq").asLong(), b.path("seq").asLong()));
        return messages;
    }
}
