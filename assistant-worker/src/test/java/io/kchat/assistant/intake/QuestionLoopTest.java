package io.kchat.assistant.intake;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.AvroSerde;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The question loop over a mock consumer: which messages are questions, the commit watermark, pausing when full and
 * what a revoked partition leaves committed. Conversation "a" blocks until cancelled; any other answers at once.
 */
class QuestionLoopTest {

    private static final String TOPIC = "chat.messages";
    private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    private static final AvroSerde<ChatMessage> SERDE = AvroSerde.of(ChatMessage.class);

    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final CountDownLatch blocking = new CountDownLatch(1);
    private QuestionLoop loop;
    private Thread thread;

    private void start(int maxWaiting) {
        loop = new QuestionLoop(consumer, TOPIC, SERDE, ids -> Set.of("a", "b"), (question, cancellation) -> {
            asked.add(question.conversationId() + question.seq());
            if (question.conversationId().equals("a")) {
                blocking.countDown();
                new CountDownLatch(1).await();
            }
        }, maxWaiting, Duration.ofMillis(20), Duration.ofMillis(20), Duration.ofSeconds(5));
        consumer.schedulePollTask(() -> {
            consumer.rebalance(List.of(P0));
            consumer.updateBeginningOffsets(Map.of(P0, 0L));
        });
        thread = Thread.ofPlatform().start(loop);
    }

    @AfterEach
    void stop() throws InterruptedException {
        loop.stop();
        thread.join(Duration.ofSeconds(10));
    }

    @Test
    void commitsUpToTheFirstUnansweredQuestionAndCancelsARevokedPartitionsAnswers() {
        start(10);
        record(0, "a", 1, "alice");
        record(1, "g", 1, "alice");
        record(2, "b", 1, "bob");
        record(3, "b", 2, AssistantUser.ID);

        await().atMost(Duration.ofSeconds(10)).until(() -> asked.contains("b1") && committed() == 0L);
        assertEquals(List.of("a1", "b1"), asked.stream().sorted().toList(), "only people's messages in assistant "
                + "conversations are questions");
        assertEquals(1, loop.waiting());

        consumer.schedulePollTask(() -> consumer.rebalance(List.of()));

        await().atMost(Duration.ofSeconds(10)).until(() -> loop.waiting() == 0);
        assertEquals(0L, committed(), "the cancelled question stays for the partition's next owner");
    }

    @Test
    void everythingAnsweredIsCommittedToTheEnd() {
        start(10);
        record(0, "b", 1, "bob");
        record(1, "g", 1, "alice");
        record(2, "b", 2, "bob");

        await().atMost(Duration.ofSeconds(10)).until(() -> committed() == 3L);
        assertEquals(List.of("b1", "b2"), asked);
    }

    @Test
    void pausesItsPartitionsWhileAsManyQuestionsWaitAsItMayHold() throws InterruptedException {
        start(1);
        record(0, "a", 1, "alice");
        blocking.await();

        await().atMost(Duration.ofSeconds(10)).until(() -> consumer.paused().contains(P0));
        assertTrue(consumer.paused().contains(P0));
    }

    private void record(long offset, String conversationId, long seq, String senderId) {
        ChatMessage message = ChatMessage.newBuilder().setConversationId(conversationId).setSeq(seq)
                .setMessageId(conversationId + seq).setClientId("c").setSenderId(senderId).setSenderDeviceId("d")
                .setBody("q").setTs(Instant.EPOCH).build();
        consumer.schedulePollTask(() -> consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset,
                conversationId.getBytes(), SERDE.encode(message))));
    }

    private long committed() {
        OffsetAndMetadata offset = consumer.committed(Set.of(P0)).get(P0);
        return offset == null ? -1 : offset.offset();
    }
}
