package io.kchat.assistant.model;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.infra.OpenAiCompatibleServer;
import io.kchat.infra.OpenAiCompatibleServer.Reply;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The model client against a real local OpenAI-compatible server: no Kafka, no database. */
class OpenAiChatModelIT {

    private static final String KEY = "sk-it-secret-4f9a1c77e2";
    private static final List<ChatTurn> QUESTION = List.of(new ChatTurn(ChatTurn.Role.SYSTEM, "Be brief."),
            new ChatTurn(ChatTurn.Role.USER, "What is Kafka?"));
    private static final String ECHO = "You asked: What is Kafka?";

    private OpenAiCompatibleServer server;
    private final List<Duration> pauses = Collections.synchronizedList(new ArrayList<>());
    private final List<OpenAiChatModel> models = new ArrayList<>();

    /** What the listener heard: deltas and restarts, in order. */
    private static final class Heard implements AnswerListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void delta(String text) {
            events.add(text);
        }

        @Override
        public void restarted() {
            events.add(null);
        }

        int restarts() {
            return (int) events.stream().filter(e -> e == null).count();
        }

        /** The deltas since the last restart, joined: what a client shows. */
        String shown() {
            List<String> copy = List.copyOf(events.stream().map(e -> e == null ? "\0" : e).toList());
            int last = copy.lastIndexOf("\0");
            return String.join("", copy.subList(last + 1, copy.size()));
        }
    }

    @BeforeEach
    void start() throws Exception {
        server = OpenAiCompatibleServer.start();
    }

    @AfterEach
    void stop() {
        models.forEach(OpenAiChatModel::close);
        server.close();
    }

    private ModelClientConfig config() {
        return ModelClientConfig.of(URI.create(server.baseUrl()), "test-model")
                .withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2), Duration.ofSeconds(2), Duration.ofSeconds(10))
                .withRetries(3, Duration.ofMillis(20), Duration.ofMillis(200));
    }

    /** A model whose pauses between attempts are recorded, not waited. */
    private OpenAiChatModel model(ModelClientConfig config) {
        OpenAiChatModel model = new OpenAiChatModel(config, Clock.systemUTC(), pauses::add);
        models.add(model);
        return model;
    }

    @Test
    void aStreamedAnswerArrivesInPiecesInOrder() throws Exception {
        Heard heard = new Heard();
        Answer answer = model(config()).answer(QUESTION, heard);

        assertEquals(new Answer(ECHO, false), answer);
        assertTrue(heard.events.size() > 3, "in pieces: " + heard.events);
        assertEquals(ECHO, String.join("", heard.events));
        assertEquals(0, heard.restarts());

        OpenAiCompatibleServer.Request request = server.lastRequest();
        assertEquals(1, server.requestCount());
        assertEquals("/v1/chat/completions", request.path());
        assertEquals("test-model", request.model());
        assertTrue(request.stream());
        assertEquals(List.of("system: Be brief.", "user: What is Kafka?"), request.messages());
        assertFalse(request.body().has("max_tokens"));
        assertEquals("text/event-stream", request.headers().get("Accept"));
        assertNull(request.authorization(), "no key, no Authorization header");
    }

    @Test
    void aBaseUrlWithASlashAndMaxTokensReachTheServer() throws Exception {
        ModelClientConfig config = config().withLimits(1000, OptionalInt.of(64), 1 << 20);
        config = new ModelClientConfig(URI.create(server.baseUrl() + "/"), config.model(), config.apiKey(),
                config.connectTimeout(), config.firstTokenTimeout(), config.idleTimeout(), config.answerTimeout(),
                config.maxAttempts(), config.retryBackoff(), config.maxRetryDelay(), config.maxAnswerChars(),
                config.maxTokens(), config.maxResponseBytes());
        assertEquals(ECHO, model(config).answer(QUESTION, new Heard()).text());
        assertEquals("/v1/chat/completions", server.lastRequest().path());
        assertEquals(64, server.lastRequest().body().path("max_tokens").asInt());
    }

    @Test
    void aNonStreamedAnswerIsTakenWhole() throws Exception {
        server.script(Reply.json("All at once."));
        Heard heard = new Heard();
        assertEquals(new Answer("All at once.", false), model(config()).answer(QUESTION, heard));
        assertEquals(List.of("All at once."), heard.events);
    }

    @Test
    void aServerErrorIsRetriedAndTheAnswerStartsOver() throws Exception {
        server.script(Reply.status(500), Reply.status(503));
        Heard heard = new Heard();
        assertEquals(ECHO, model(config()).answer(QUESTION, heard).text());
        assertEquals(3, server.requestCount());
        assertEquals(2, heard.restarts());
        assertEquals(ECHO, heard.shown());
        assertEquals(2, pauses.size());
        assertTrue(pauses.get(0).compareTo(Duration.ofMillis(20)) <= 0, "jittered below the first ceiling: " + pauses);
        assertTrue(pauses.get(1).compareTo(Duration.ofMillis(40)) <= 0, "below the doubled ceiling: " + pauses);
    }

    @Test
    void aBrokenStreamIsRetriedAfterItsPartialText() throws Exception {
        server.script(Reply.brokenAfter("Half an ans"));
        Heard heard = new Heard();
        assertEquals(ECHO, model(config()).answer(QUESTION, heard).text());
        assertEquals("Half an ans", String.join("", heard.events.subList(0, heard.events.indexOf(null))));
        assertEquals(1, heard.restarts());
        assertEquals(ECHO, heard.shown());
        assertEquals(2, server.requestCount());
    }

    @Test
    void retryAfterIsWaited() throws Exception {
        server.script(Reply.status(429, "1"));
        OpenAiChatModel model = new OpenAiChatModel(config().withRetries(2, Duration.ofMillis(10),
                Duration.ofSeconds(5)));
        models.add(model);
        long start = System.nanoTime();
        assertEquals(ECHO, model.answer(QUESTION, new Heard()).text());
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(elapsed >= 950 && elapsed < 5_000, "waited Retry-After's second: " + elapsed + " ms");
        assertEquals(2, server.requestCount());
    }

    @Test
    void retryAfterIsCappedAndALastRateLimitFails() {
        server.otherwise(Reply.status(429, "3600"));
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model(config()).answer(QUESTION, new Heard()));
        assertEquals("rate_limited", failure.kind());
        assertEquals(List.of(Duration.ofMillis(200), Duration.ofMillis(200)), pauses);
        assertEquals(3, server.requestCount());
    }

    @Test
    void anUnauthorizedRequestIsNotRetriedAndTheKeyNeverShows() {
        server.otherwise(Reply.status(401));
        ModelClientConfig config = config().withApiKey(KEY);
        OpenAiChatModel model = model(config);
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model.answer(QUESTION, new Heard()));
        assertEquals("refused", failure.kind());
        assertEquals(1, server.requestCount());
        assertEquals("Bearer " + KEY, server.lastRequest().authorization());
        for (String shown : new String[] {failure.getMessage(), failure.userMessage(), failure.toString(),
                String.valueOf(failure.getCause()), config.toString(), model.toString()}) {
            assertFalse(shown.contains(KEY), shown);
            assertFalse(shown.contains("scripted status"), "no provider body: " + shown);
        }
        assertFalse(failure.userMessage().contains("127.0.0.1"), "no URL: " + failure.userMessage());
    }

    @Test
    void aSlowFirstTokenTimesOut() {
        server.otherwise(Reply.slowFirstToken(Duration.ofSeconds(20), "late"));
        OpenAiChatModel model = model(config().withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300),
                Duration.ofSeconds(2), Duration.ofSeconds(30)).withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10)));
        long start = System.nanoTime();
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model.answer(QUESTION, new Heard()));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("timeout", failure.kind());
        assertEquals("The model did not answer in time.", failure.userMessage());
        assertEquals(2, server.requestCount(), "a timeout is retried");
        assertTrue(elapsed >= 600 && elapsed < 5_000, "two first-token timeouts, not the token: " + elapsed + " ms");
    }

    @Test
    void aServerThatSendsNothingTimesOut() {
        server.otherwise(Reply.hang());
        OpenAiChatModel model = model(config().withTimeouts(Duration.ofMillis(500), Duration.ofMillis(300),
                Duration.ofSeconds(2), Duration.ofSeconds(30)).withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        long start = System.nanoTime();
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model.answer(QUESTION, new Heard()));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("timeout", failure.kind());
        assertTrue(elapsed >= 300 && elapsed < 5_000, elapsed + " ms");
    }

    @Test
    void aStalledStreamTimesOutWhenIdle() {
        server.otherwise(Reply.stream("Stalls after this", 6, Duration.ofSeconds(20)));
        OpenAiChatModel model = model(config().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(3),
                Duration.ofMillis(300), Duration.ofSeconds(30)).withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)));
        Heard heard = new Heard();
        long start = System.nanoTime();
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model.answer(QUESTION, heard));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("timeout", failure.kind());
        assertEquals(List.of("Stalls"), heard.events);
        assertTrue(elapsed >= 300 && elapsed < 5_000, elapsed + " ms");
    }

    @Test
    void anEndlessStreamIsCutAtTheCapAndClosed() throws Exception {
        server.otherwise(Reply.endless("la ", Duration.ofMillis(1)));
        Heard heard = new Heard();
        Answer answer = model(config().withLimits(50, OptionalInt.empty(), 1 << 20)).answer(QUESTION, heard);
        assertTrue(answer.truncated());
        assertEquals(50, answer.text().length());
        assertTrue(answer.text().startsWith("la la la"));
        assertEquals(answer.text(), String.join("", heard.events));
        assertEquals(1, server.requestCount());
        // the connection is closed: the server's endless writer notices and ends
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void theAnswerTimeoutEndsAnEndlessSlowStreamWithoutRetry() {
        server.otherwise(Reply.endless("x", Duration.ofMillis(50)));
        OpenAiChatModel model = model(config().withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMillis(700)));
        Heard heard = new Heard();
        long start = System.nanoTime();
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model.answer(QUESTION, heard));
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertEquals("timeout", failure.kind());
        assertTrue(elapsed >= 650 && elapsed < 5_000, "the stream never ends, the answer timeout does: " + elapsed + " ms");
        assertTrue(heard.events.size() > 3, "it was streaming: " + heard.events);
        assertEquals(1, server.requestCount(), "no time was left for another attempt");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void garbageIsRetriedThenClassified() {
        server.otherwise(Reply.garbage());
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model(config()).answer(QUESTION, new Heard()));
        assertEquals("garbage", failure.kind());
        assertEquals(3, server.requestCount());

        server.otherwise(Reply.garbage("text/event-stream", "data: {not json\n\n"));
        assertEquals("garbage", assertThrows(ModelFailure.class,
                () -> model(config()).answer(QUESTION, new Heard())).kind());
    }

    @Test
    void errorsInsideTheStreamAreRetriedOrRefused() throws Exception {
        server.script(Reply.streamError("Par", "server_error"));
        Heard heard = new Heard();
        assertEquals(ECHO, model(config()).answer(QUESTION, heard).text());
        assertEquals(1, heard.restarts());

        server.otherwise(Reply.streamError("", "invalid_request_error"));
        int before = server.requestCount();
        ModelFailure refused = assertThrows(ModelFailure.class, () -> model(config()).answer(QUESTION, new Heard()));
        assertEquals("refused", refused.kind());
        assertEquals(before + 1, server.requestCount());
    }

    @Test
    void noServerIsUnavailable() throws Exception {
        String baseUrl = server.baseUrl();
        server.close();
        ModelClientConfig config = ModelClientConfig.of(URI.create(baseUrl), "m")
                .withRetries(2, Duration.ofMillis(10), Duration.ofMillis(10));
        ModelFailure failure = assertThrows(ModelFailure.class, () -> model(config).answer(QUESTION, new Heard()));
        assertEquals("unavailable", failure.kind());
        assertEquals(1, pauses.size());
        assertFalse(failure.userMessage().contains(baseUrl));
    }

    @Test
    void anInterruptEndsAStreamingAnswerPromptlyAndClosesIt() throws Exception {
        server.otherwise(Reply.endless("tick ", Duration.ofMillis(20)));
        Heard heard = new Heard();
        assertInterruptible(model(config().withLimits(1_000_000, OptionalInt.empty(), 1 << 20)), heard,
                () -> !heard.events.isEmpty());
        await().atMost(Duration.ofSeconds(5)).until(() -> server.activeRequests() == 0);
    }

    @Test
    void anInterruptEndsTheWaitForHeadersPromptly() throws Exception {
        server.otherwise(Reply.hang());
        assertInterruptible(model(config()), new Heard(), () -> server.requestCount() == 1);
    }

    @Test
    void anInterruptEndsThePauseBeforeARetry() throws Exception {
        server.otherwise(Reply.status(503, "30"));
        OpenAiChatModel model = new OpenAiChatModel(config().withRetries(3, Duration.ofMillis(10),
                Duration.ofSeconds(30)).withTimeouts(Duration.ofMillis(500), Duration.ofSeconds(2),
                Duration.ofSeconds(2), Duration.ofMinutes(1)));
        models.add(model);
        assertInterruptible(model, new Heard(), () -> server.requestCount() == 1);
    }

    /** Interrupts the answering thread once {@code started} holds; the answer must end at once, interrupted. */
    private void assertInterruptible(OpenAiChatModel model, Heard heard, java.util.concurrent.Callable<Boolean> started)
            throws Exception {
        CompletableFuture<Object> outcome = new CompletableFuture<>();
        Thread answering = Thread.ofVirtual().start(() -> {
            try {
                outcome.complete(model.answer(QUESTION, heard));
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(started);
        long start = System.nanoTime();
        answering.interrupt();
        Object result;
        try {
            result = outcome.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(e);
        }
        long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(result instanceof InterruptedException, "interrupted, not " + result);
        assertTrue(elapsed < 900, elapsed + " ms");
        answering.join(1000);
        assertFalse(answering.isAlive());
    }
}
