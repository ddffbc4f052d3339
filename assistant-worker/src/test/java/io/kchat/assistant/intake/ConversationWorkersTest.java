package io.kchat.assistant.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class ConversationWorkersTest {

    private static final TopicPartition P0 = new TopicPartition("chat.messages", 0);
    private static final TopicPartition P1 = new TopicPartition("chat.messages", 1);

    private final List<String> answered = new CopyOnWriteArrayList<>();
    private final List<String> dropped = new CopyOnWriteArrayList<>();
    private final ConversationWorkers.Outcomes outcomes = new ConversationWorkers.Outcomes() {
        @Override
        public void answered(Question question) {
            answered.add(name(question));
        }

        @Override
        public void dropped(Question question) {
            dropped.add(name(question));
        }
    };

    @Test
    void answersEachConversationInOrderOneAtATimeAndConversationsSideBySide() {
        Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
        AtomicInteger mostInOneConversation = new AtomicInteger();
        CountDownLatch bothConversationsStarted = new CountDownLatch(2);
        ConversationWorkers workers = new ConversationWorkers((question, cancellation) -> {
            AtomicInteger atOnce = running.computeIfAbsent(question.conversationId(), c -> new AtomicInteger());
            mostInOneConversation.accumulateAndGet(atOnce.incrementAndGet(), Math::max);
            if (question.seq() == 1) {
                // each conversation's first answer waits for the other's: they run side by side or not at all
                bothConversationsStarted.countDown();
                bothConversationsStarted.await();
            }
            atOnce.decrementAndGet();
        }, outcomes, Duration.ofMillis(10), Duration.ofSeconds(5));

        for (long seq = 1; seq <= 5; seq++) {
            workers.submit(question("a", seq, P0));
            workers.submit(question("b", seq, P1));
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> answered.size() == 10);
        assertEquals(List.of("a1", "a2", "a3", "a4", "a5"), answered.stream().filter(q -> q.startsWith("a")).toList());
        assertEquals(List.of("b1", "b2", "b3", "b4", "b5"), answered.stream().filter(q -> q.startsWith("b")).toList());
        assertEquals(1, mostInOneConversation.get());
        assertTrue(dropped.isEmpty());
    }

    @Test
    void cancellingAPartitionInterruptsItsAnswerAndDropsWhatItsConversationsQueued() throws Exception {
        CountDownLatch blocked = new CountDownLatch(1);
        ConversationWorkers workers = new ConversationWorkers((question, cancellation) -> {
            if (question.conversationId().equals("a")) {
                blocked.countDown();
                new CountDownLatch(1).await();
            }
        }, outcomes, Duration.ofMillis(10), Duration.ofSeconds(5));
        workers.submit(question("a", 1, P0));
        workers.submit(question("a", 2, P0));
        blocked.await();

        workers.cancel(List.of(P0));
        workers.submit(question("b", 1, P1));

        await().atMost(Duration.ofSeconds(10)).until(() -> answered.contains("b1"));
        assertEquals(List.of("a1", "a2"), dropped);
        assertEquals(List.of("b1"), answered);
    }

    @Test
    void anUnexpectedFailureIsRetriedNotSkipped() {
        AtomicInteger attempts = new AtomicInteger();
        ConversationWorkers workers = new ConversationWorkers((question, cancellation) -> {
            if (attempts.incrementAndGet() < 3) {
                throw new IllegalStateException("a defect");
            }
        }, outcomes, Duration.ofMillis(10), Duration.ofSeconds(5));

        workers.submit(question("a", 1, P0));

        await().atMost(Duration.ofSeconds(10)).until(() -> answered.contains("a1"));
        assertEquals(3, attempts.get());
    }

    private static Question question(String conversationId, long seq, TopicPartition partition) {
        return new Question(conversationId, seq, "alice", "q", Instant.EPOCH, partition, seq, "corr");
    }

    private static String name(Question question) {
        return question.conversationId() + question.seq();
    }
}
