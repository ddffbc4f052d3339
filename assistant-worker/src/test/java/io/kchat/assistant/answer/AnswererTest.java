package io.kchat.assistant.answer;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.assistant.intake.Cancellation;
import io.kchat.assistant.intake.Question;
import io.kchat.assistant.metrics.AssistantMetrics;
import io.kchat.assistant.model.Answer;
import io.kchat.assistant.model.ChatModel;
import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ModelFailure;
import io.kchat.events.AssistantStream;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class AnswererTest {

    private static final Instant T0 = Instant.parse("2030-01-01T00:00:00Z");
    private static final List<ChatTurn> CONTEXT = List.of(new ChatTurn(ChatTurn.Role.USER, "why?"));

    record Post(long seq, String body, boolean failed) {
    }

    private final MutableClock clock = new MutableClock(T0);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ActiveAnswers active = new ActiveAnswers();
    private final List<Post> posts = new CopyOnWriteArrayList<>();
    private final List<AssistantStream> stream = new CopyOnWriteArrayList<>();
    private final AtomicInteger modelCalls = new AtomicInteger();
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final Cancellation cancellation = cancelled::get;

    private Answerer answerer(ChatModel model, int userRate) {
        AnswerSink sink = (question, body, failed, c) -> posts.add(new Post(question.seq(), body, failed));
        ChatModel counted = (turns, listener) -> {
            modelCalls.incrementAndGet();
            assertEquals(CONTEXT, turns);
            return model.answer(turns, listener);
        };
        return new Answerer(counted, question -> CONTEXT, new AnswerLimits(new UserRateLimiter(userRate,
                Duration.ofMinutes(1)), 2, 4), active,
                new StreamRelays(Duration.ZERO, clock, (part, id) -> stream.add(part), new ManualTimer()), sink,
                Duration.ofMinutes(15), clock, new AssistantMetrics(registry));
    }

    private static Question question(long seq, Instant ts) {
        return new Question("c1", seq, "alice", "why?", ts, new TopicPartition("chat.messages", 0), seq, "corr");
    }

    @Test
    void postsTheModelsAnswerAfterStreamingItAndEndsTheStream() throws Exception {
        answerer((turns, listener) -> {
            listener.delta("Because ");
            listener.delta("it is.");
            return new Answer("Because it is.", false);
        }, 20).answer(question(5, T0), cancellation);

        assertEquals(List.of(new Post(5, "Because it is.", false)), posts);
        assertEquals(List.of("Because ", "it is.", ""), stream.stream().map(AssistantStream::getDelta).toList());
        assertEquals(List.of(0, 8, 14), stream.stream().map(AssistantStream::getOffset).toList());
        assertTrue(stream.getLast().getDone());
        assertEquals(1.0, outcome("answered"));
    }

    @Test
    void aTruncatedAnswerIsPostedAsItIs() throws Exception {
        answerer((turns, listener) -> new Answer("Long answer, cut", true), 20).answer(question(5, T0), cancellation);

        assertEquals(List.of(new Post(5, "Long answer, cut", false)), posts);
    }

    @Test
    void aModelFailureBecomesOneShortFailedAnswer() throws Exception {
        answerer((turns, listener) -> {
            listener.delta("Partial");
            throw new ModelFailure("timeout", "The assistant took too long to answer.", null);
        }, 20).answer(question(5, T0), cancellation);

        assertEquals(List.of(new Post(5, "The assistant took too long to answer.", true)), posts);
        assertEquals(1.0, outcome("failed"));
        assertEquals(1.0, registry.get("kchat.assistant.model.failures").tag("kind", "timeout").counter().count());
    }

    @Test
    void anEmptyAnswerBecomesAShortFailedOne() throws Exception {
        answerer((turns, listener) -> new Answer("  ", false), 20).answer(question(5, T0), cancellation);

        assertEquals(List.of(new Post(5, Replies.EMPTY, true)), posts);
    }

    @Test
    void aTooOldQuestionIsAnsweredWithoutTheModel() throws Exception {
        clock.advance(Duration.ofMinutes(16));
        answerer((turns, listener) -> new Answer("late", false), 20).answer(question(5, T0), cancellation);

        assertEquals(List.of(new Post(5, Replies.TOO_OLD, true)), posts);
        assertEquals(0, modelCalls.get());
        assertEquals(1.0, outcome("too_old"));
    }

    @Test
    void aQuestionOverTheRateIsAnsweredAtOnceWithoutTheModel() throws Exception {
        Answerer answerer = answerer((turns, listener) -> new Answer("ok", false), 2);
        for (long seq = 1; seq <= 3; seq++) {
            answerer.answer(question(seq, T0), cancellation);
        }

        assertEquals(List.of(new Post(1, "ok", false), new Post(2, "ok", false),
                new Post(3, Replies.RATE_LIMITED, true)), posts);
        assertEquals(2, modelCalls.get());
        assertEquals(1.0, outcome("rate_limited"));
    }

    @Test
    void aStopByTheAskerPostsTheTextSoFar() throws Exception {
        CountDownLatch streamed = new CountDownLatch(1);
        Answerer answerer = answerer(blockingAfter("The start", streamed), 20);
        Thread answering = Thread.ofVirtual().start(() -> answerQuietly(answerer, question(5, T0)));
        streamed.await();

        assertFalse(active.stop("c1", 5, "mallory"), "only the asker may stop");
        assertFalse(active.stop("c1", 6, "alice"), "nor stop another answer");
        assertTrue(active.stop("c1", 5, "alice"));
        answering.join(Duration.ofSeconds(10));

        assertEquals(List.of(new Post(5, "The start", false)), posts);
        assertTrue(stream.getLast().getDone());
        assertEquals(1.0, outcome("stopped"));
        assertEquals(0, active.size());
    }

    @Test
    void aStopBeforeAnyTextPostsAShortNote() throws Exception {
        CountDownLatch called = new CountDownLatch(1);
        Answerer answerer = answerer((turns, listener) -> {
            called.countDown();
            new CountDownLatch(1).await();
            return new Answer("never", false);
        }, 20);
        Thread answering = Thread.ofVirtual().start(() -> answerQuietly(answerer, question(5, T0)));
        called.await();
        await().until(() -> active.stop("c1", 5, "alice"));
        answering.join(Duration.ofSeconds(10));

        assertEquals(List.of(new Post(5, Replies.STOPPED_BEFORE_ANSWER, false)), posts);
    }

    @Test
    void aCancelledAnswerPostsNothing() throws Exception {
        CountDownLatch streamed = new CountDownLatch(1);
        Answerer answerer = answerer(blockingAfter("The start", streamed), 20);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread answering = Thread.ofVirtual().start(() -> {
            try {
                answerer.answer(question(5, T0), cancellation);
            } catch (Throwable e) {
                thrown.set(e);
            }
        });
        streamed.await();
        cancelled.set(true);
        answering.interrupt();
        answering.join(Duration.ofSeconds(10));

        assertTrue(thrown.get() instanceof InterruptedException, String.valueOf(thrown.get()));
        assertTrue(posts.isEmpty());
        assertEquals(0, active.size());
    }

    @Test
    void theUsersSlotsMakeTheirThirdAnswerWait() throws Exception {
        AnswerLimits limits = new AnswerLimits(new UserRateLimiter(20, Duration.ofMinutes(1)), 2, 10);
        limits.acquire("alice");
        limits.acquire("alice");
        limits.acquire("bob");
        CountDownLatch third = new CountDownLatch(1);
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                limits.acquire("alice");
                third.countDown();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });

        assertFalse(third.await(200, java.util.concurrent.TimeUnit.MILLISECONDS));
        assertEquals(3, limits.inFlight());
        limits.release("alice");
        assertTrue(third.await(10, java.util.concurrent.TimeUnit.SECONDS));
        waiting.join();
        assertEquals(3, limits.inFlight());
    }

    private static ChatModel blockingAfter(String text, CountDownLatch streamed) {
        return (turns, listener) -> {
            listener.delta(text);
            streamed.countDown();
            new CountDownLatch(1).await();
            return new Answer("never", false);
        };
    }

    private void answerQuietly(Answerer answerer, Question question) {
        assertThrows(IllegalStateException.class, () -> {
            answerer.answer(question, cancellation);
            throw new IllegalStateException("answered");
        });
    }

    private double outcome(String outcome) {
        return registry.get("kchat.assistant.questions").tag("outcome", outcome).counter().count();
    }
}
