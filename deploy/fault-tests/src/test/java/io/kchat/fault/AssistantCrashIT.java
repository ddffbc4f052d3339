package io.kchat.fault;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.events.ChatMessage;
import io.kchat.infra.OpenAiCompatibleServer;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AssistantUser;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * kill -9 of the assistant worker while it streams answers (D15). The worker commits a question's offset only after
 * its answer is on chat.inbound, so the restarted worker asks the model again for every question it had not finished;
 * the answer's idempotency id comes from the question's seq, so the processor keeps exactly one answer per question
 * however often it was generated. The test checks that on chat.messages as committed: every question has one answer
 * and it is the answer to that question, and that the model was asked again for at least one (the kill did land
 * mid-answer).
 */
class AssistantCrashIT {

    private static final Logger log = LoggerFactory.getLogger(AssistantCrashIT.class);
    private static final int USERS = 4;
    private static final int QUESTIONS = 4;
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path stateRoot;
    private Stack stack;

    @AfterEach
    void tearDown() {
        if (stack != null) {
            stack.close();
        }
    }

    /** One question: its conversation and seq, and what was asked. */
    private record Question(String conversationId, long seq, String body) {
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void everyQuestionGetsExactlyOneAnswerWhenTheWorkerIsKilledMidAnswer() throws Exception {
        try (OpenAiCompatibleServer model = OpenAiCompatibleServer.start()) {
            // about two seconds per answer: at any moment of the run some are half written
            model.echoChunks(1, Duration.ofMillis(60));
            stack = Stack.start("assistant-crash", SharedInfrastructure.kafka().bootstrapServers(), stateRoot, 1, 1,
                    Map.of("ASSISTANT_BASE_URL", model.baseUrl(), "ASSISTANT_MODEL", "test-model"));
            stack.startAssistant();
            Rest rest = new Rest(HttpClient.newHttpClient(), stack::livePorts);

            List<Rest.Login> users = new ArrayList<>();
            List<String> conversations = new ArrayList<>();
            for (int i = 0; i < USERS; i++) {
                rest.register("asker" + i, PASSWORD);
                Rest.Login user = rest.login("asker" + i, PASSWORD, "asker-phone-" + i);
                Rest.Response created = rest.post("/v1/assistant/conversations", user.accessToken(),
                        Rest.JSON.createObjectNode().put("title", "questions " + i));
                assertEquals(201, created.status(), created.toString());
                users.add(user);
                conversations.add(created.body().path("conversationId").asText());
            }

            for (int round = 0; round < QUESTIONS; round++) {
                for (int i = 0; i < USERS; i++) {
                    ask(rest, users.get(i), conversations.get(i), "question " + round + " of asker " + i);
                }
                if (round == 1) {
                    // the first round's answers are being written (or the second's): kill while the model streams
                    await().pollInterval(Duration.ofMillis(20)).atMost(Duration.ofSeconds(60))
                            .until(() -> model.activeRequests() > 0 && answered().size() >= 1);
                    stack.assistant().kill9();
                    log.info("worker killed with {} model requests made, {} streams open, {} answers posted",
                            model.requests().size(), model.activeRequests(), answered().size());
                }
            }
            stack.assistant().restart();

            int questionsAsked = USERS * QUESTIONS;
            await().pollInterval(Duration.ofSeconds(1)).atMost(Duration.ofMinutes(2))
                    .until(() -> answered().size() >= questionsAsked);
            // whatever would repeat has had its chance to
            await().pollInterval(Duration.ofSeconds(1)).during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                    .until(() -> answered().size() == questionsAsked);

            Map<Question, List<ChatMessage>> answers = answered();
            assertEquals(questionsAsked, answers.size(), "every question answered: " + answers.keySet());
            answers.forEach((question, its) -> {
                assertEquals(1, its.size(), "exactly one answer to " + question + ": " + its);
                ChatMessage answer = its.getFirst();
                assertFalse(answer.getFailed(), "answered, not failed: " + answer);
                assertEquals("You asked: " + question.body(), answer.getBody(), "the answer to this question");
            });
            assertTrue(model.requests().size() > questionsAsked,
                    "some answers were written again after the kill: " + model.requests().size() + " model requests for "
                            + questionsAsked + " questions");
            log.info("{} questions, {} model requests, one answer each", questionsAsked, model.requests().size());
        }
    }

    private static void ask(Rest rest, Rest.Login user, String conversationId, String question) {
        ObjectNode message = Rest.JSON.createObjectNode().put("id", java.util.UUID.randomUUID().toString())
                .put("body", question);
        Rest.Response sent = rest.post("/v1/conversations/" + conversationId + "/messages", user.accessToken(),
                message);
        assertEquals(202, sent.status(), sent.toString());
    }

    /**
     * Every question on chat.messages as committed, with the assistant's messages that answer it (by replyTo). A
     * question appears once it has at least one answer; an answer to nothing would be a key no question matches.
     */
    private Map<Question, List<ChatMessage>> answered() {
        Map<String, Map<Long, String>> questions = new HashMap<>();
        List<ChatMessage> answers = new ArrayList<>();
        try (TopicReader<ChatMessage> reader = new TopicReader<>(stack.bootstrapServers(), stack.topics().messages(),
                "read_committed")) {
            for (ConsumerRecord<String, ChatMessage> record : reader.readToEnd(Duration.ofSeconds(30))) {
                ChatMessage message = record.value();
                if (AssistantUser.ID.equals(message.getSenderId())) {
                    answers.add(message);
                } else {
                    questions.computeIfAbsent(message.getConversationId(), c -> new TreeMap<>())
                            .put(message.getSeq(), message.getBody());
                }
            }
        }
        Map<Question, List<ChatMessage>> answered = new HashMap<>();
        for (ChatMessage answer : answers) {
            String body = questions.getOrDefault(answer.getConversationId(), Map.of()).get(answer.getReplyTo());
            assertTrue(body != null, "an answer to no question: " + answer);
            answered.computeIfAbsent(new Question(answer.getConversationId(), answer.getReplyTo(), body),
                    q -> new ArrayList<>()).add(answer);
        }
        return answered;
    }
}
