package io.kchat.local;

import static io.kchat.local.ChatClients.token;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.OpenAiCompatibleServer;
import io.kchat.infra.OpenAiCompatibleServer.Reply;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.LogEntry;

/**
 * The web client's assistant (issue 23) in a real Chromium against the whole stack with the assistant worker, whose
 * model is the local OpenAI-compatible test server: it echoes each question ("You asked: …") in chunks of three
 * characters, 40 ms apart, slowly enough that an answer is seen growing. A person opens a new assistant chat, asks
 * twice and sees each answer stream in and then stand as a message (once), keeps both after a reload, stops a third
 * answer with its Stop button, and sees a refused one marked failed. Without a model (a second stack, as ./chat-local
 * runs without ASSISTANT_BASE_URL) the client offers no assistant at all. Screenshots land in target/browser.
 */
class WebClientAssistantBrowserIT {

    private static final String PASSWORD = "correct horse battery staple";
    /** An answer goes through the processor, the worker and the model server: generous on a 2-core machine. */
    private static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CHUNK_DELAY = Duration.ofMillis(40);

    @TempDir
    static Path stateDir;
    private static OpenAiCompatibleServer model;
    private static LocalStack stack;

    @BeforeAll
    static void start() throws Exception {
        model = OpenAiCompatibleServer.start();
        model.echoChunks(3, CHUNK_DELAY);
        stack = new LocalStack("webassistant", stateDir,
                Map.of("ASSISTANT_BASE_URL", model.baseUrl(), "ASSISTANT_MODEL", "test-model"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (stack != null) {
                stack.close();
            }
        } finally {
            if (model != null) {
                model.close();
            }
        }
    }

    @Test
    void aPersonAsksTwiceSeesTheAnswersStreamInKeepsThemAfterAReloadAndStopsAThird() throws Exception {
        // on a phone: the list and the conversation one at a time, touch, a narrow composer with Stop beside Send
        try (WebClientUser amy = new WebClientUser(new Browser(Browser.Viewport.PHONE), stack.port())) {
            amy.open().signUp("amy", "Amy Adams", PASSWORD);
            // the client asked GET /v1/assistant before it went online: a server with a model offers the assistant
            assertTrue(amy.eventually(WebClientUser::assistantChatOffered, offered -> offered), "New assistant chat");
            amy.startAssistantChat();
            assertEquals("Assistant", amy.heading(), "named after the assistant, as the server names it");
            assertTrue(amy.listShowsAiBadge("Assistant"), "marked AI in the list");
            assertEquals("AI assistant · test-model", amy.subtitle());
            assertFalse(amy.mediaControlsShown(), "no attachments: the assistant reads text");
            amy.openDetails();
            assertEquals(List.of(), amy.browser().driver().findElements(By.xpath(
                    "//dialog//label[normalize-space()='Add a member' or normalize-space()='End-to-end encrypted']")),
                    "no member to add, no encryption to choose");
            amy.closeDialog();

            amy.recordAnswerStates();
            String first = "What is the capital of France?";
            amy.send(first);
            assertAnswered(amy, first, "You asked: " + first);
            amy.screenshot("phone-assistant-answer");

            amy.forgetAnswerStates();
            String second = "And what is the capital of Italy, please?";
            amy.send(second);
            assertAnswered(amy, second, "You asked: " + second);
            assertEquals(2, amy.answersShown());
            List<Long> seqs = amy.seqsShown();
            assertEquals(List.of(1L, 2L, 3L, 4L), seqs, "two questions, two answers, in order");

            // both answers are history: after a reload they are there, each once, quoting its question
            amy.reload();
            amy.waitOnline();
            amy.openConversation("Assistant");
            assertEquals(seqs, amy.seqsShown());
            assertEquals("You asked: " + first, amy.answerTo(first, ANSWER_TIMEOUT).get("body"));
            assertEquals("You asked: " + second, amy.answerTo(second, ANSWER_TIMEOUT).get("body"));
            assertEquals(0, amy.pendingAnswers());
            assertTrue(amy.headerShowsAiBadge());

            // a third answer that would never end: stopped with its Stop button, it ends with what was written
            model.script(Reply.endless("la ", CHUNK_DELAY));
            int requestsBefore = model.requestCount();
            amy.recordAnswerStates(); // a new page since the reload
            String third = "Sing me the song that never ends";
            amy.send(third);
            String seen = amy.partialAnswerWithStop().strip(); // the text keeps its spaces (pre-wrap)
            amy.screenshot("phone-assistant-streaming");
            amy.stopAnswer();
            // the press was taken: the answer says so until it stands (unless it stood already)
            boolean taken = amy.eventually(u -> u.answerStopping() || u.answersShown() == 3, shown -> shown);
            assertTrue(taken, "the answer says Stopping…");
            Map<String, Object> stopped;
            try {
                stopped = amy.answerTo(third, ANSWER_TIMEOUT);
            } catch (TimeoutException e) {
                amy.screenshot("phone-assistant-not-stopped");
                throw new AssertionError("no answer after Stop; alerts: " + amy.alerts() + "; the bubble: "
                        + amy.answerStates().getLast(), e);
            }
            String answer = ((String) stopped.get("body")).strip();
            assertTrue(answer.startsWith(seen) && answer.matches("la( la)*"),
                    "the answer is what was written when it stopped: " + answer + " (seen: " + seen + ")");
            assertFalse((Boolean) stopped.get("failed"));
            // the worker went away from the model server: the endless answer's request ended, and none followed it
            await().atMost(Duration.ofSeconds(15)).until(() -> model.activeRequests() == 0);
            assertEquals(requestsBefore + 1, model.requestCount(), "one request for the third question");
            // and no further text: nothing streams into the conversation any more
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> amy.pendingAnswers() == 0 && amy.answersShown() == 3);
            List<Map<String, Object>> states = amy.answerStates();
            assertTrue(states.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("stop"))), "Stop was shown: " + states);
            assertEquals(Map.of("shown", false), states.getLast(), "the bubble went when the answer came");
            assertFalse(amy.browser().driver().findElements(By.xpath("//button[@aria-label='Stop the answer']")).stream()
                    .anyMatch(WebElement::isDisplayed), "Stop went with the answer");

            // a question the model refuses is answered all the same, marked failed in words
            model.otherwise(Reply.status(400));
            String fourth = "Can you read this one?";
            amy.send(fourth);
            Map<String, Object> refused = amy.answerTo(fourth, ANSWER_TIMEOUT);
            assertTrue((Boolean) refused.get("failed"), "marked: The assistant could not answer");
            amy.screenshot("phone-assistant-failed-answer");

            assertEquals(List.of(), errors(amy), "Amy's console");
        }
    }

    @Test
    void withoutAModelTheClientOffersNoAssistant(@TempDir Path otherState) throws Exception {
        try (LocalStack plain = new LocalStack("webnoassistant", otherState);
             WebClientUser bob = new WebClientUser(new Browser(), plain.port())) {
            Http http = new Http(plain.port());
            Http.Response probe = http.get("/v1/assistant", token(http.newUser("cat")));
            assertEquals(200, probe.status(), probe.toString());
            assertFalse(probe.body().path("available").asBoolean(), "no model, no assistant: " + probe);

            bob.open().signUp("bob", "Bob Brown", PASSWORD);
            // the client's start asks GET /v1/assistant before it goes online: once online it knows, and nothing
            // offers the assistant (the console stays clean: a server without a model is no error)
            bob.waitOnline();
            bob.browser().waitFor(driver -> bob.conversationTitles().isEmpty()
                    && !driver.findElements(By.cssSelector(".conversation-list .empty")).isEmpty());
            assertFalse(bob.assistantChatOffered(), "no New assistant chat");
            bob.screenshot("no-assistant");
            assertEquals(List.of(), errors(bob), "Bob's console");
        }
    }

    /**
     * The answer to {@code question} was seen growing (a bubble with part of it while Stop showed, every state a
     * start of it), then stood as one message quoting the question, the bubble gone.
     */
    private static void assertAnswered(WebClientUser user, String question, String expected) {
        Map<String, Object> answer = user.answerTo(question, ANSWER_TIMEOUT);
        assertEquals(expected, answer.get("body"));
        assertFalse((Boolean) answer.get("failed"));
        assertEquals(0, user.pendingAnswers(), "the answer took its bubble's place");
        assertEquals(1, user.messagesWithBody(expected), "the answer once");
        List<Map<String, Object>> states = user.answerStates();
        assertTrue(states.stream().anyMatch(s -> Boolean.TRUE.equals(s.get("shown")) && Boolean.TRUE.equals(s.get("stop"))
                        && !((String) s.get("text")).isEmpty() && ((String) s.get("text")).length() < expected.length()),
                "part of the answer was shown, and Stop: " + states);
        assertTrue(states.stream().filter(s -> Boolean.TRUE.equals(s.get("shown")))
                .allMatch(s -> expected.startsWith((String) s.get("text"))), "only ever a start of the answer: " + states);
        assertEquals(Map.of("shown", false), states.getLast(), "the bubble went when the answer came");
    }

    private static List<String> errors(WebClientUser user) {
        return user.browser().consoleErrors().stream().map(LogEntry::getMessage).toList();
    }
}
