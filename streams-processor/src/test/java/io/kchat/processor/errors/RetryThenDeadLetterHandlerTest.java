package io.kchat.processor.errors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Response;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler.Result;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RetryThenDeadLetterHandlerTest {

    private static final String DEAD_LETTERS = "t-chat.processor-dead-letters";
    private static final Record<String, String> RECORD = new Record<>("c1", "command", 1_000L);

    private final List<String> counted = new ArrayList<>();
    private final RetryThenDeadLetterHandler handler = new RetryThenDeadLetterHandler();

    @BeforeEach
    void configure() {
        handler.configure(Map.of(
                PoisonRecordPolicy.CONFIG, new PoisonRecordPolicy(3, (topic, stage) -> counted.add(topic + " " + stage)),
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DEAD_LETTERS));
    }

    @Test
    void aRecordFailsItsFirstAttemptsAndIsDeadLetteredAndSkippedOnItsLast() {
        FakeErrorContext context = FakeErrorContext.at("t-chat.inbound", 4, 17);
        IllegalStateException bug = new IllegalStateException("no such member");

        Response first = handler.handleError(context, RECORD, bug);
        Response second = handler.handleError(context, RECORD, bug);
        Response third = handler.handleError(context, RECORD, bug);

        assertEquals(Result.FAIL, first.result());
        assertEquals(List.of(), first.deadLetterQueueRecords());
        assertEquals(Result.FAIL, second.result());
        assertEquals(Result.RESUME, third.result());
        assertEquals(List.of("t-chat.inbound PROCESSING"), counted);

        ProducerRecord<byte[], byte[]> deadLetter = third.deadLetterQueueRecords().getFirst();
        assertEquals(1, third.deadLetterQueueRecords().size());
        assertEquals(DEAD_LETTERS, deadLetter.topic());
        assertArrayEquals(context.sourceRawKey(), deadLetter.key(), "the input's own bytes");
        assertArrayEquals(context.sourceRawValue(), deadLetter.value());
        assertEquals("t-chat.inbound", header(deadLetter, "__streams.errors.topic"));
        assertEquals("4", header(deadLetter, "__streams.errors.partition"));
        assertEquals("17", header(deadLetter, "__streams.errors.offset"));
        assertEquals(IllegalStateException.class.getName(), header(deadLetter, "__streams.errors.exception"));
        assertEquals("no such member", header(deadLetter, "__streams.errors.message"));
        assertEquals("c-1", header(deadLetter, "kchat-correlation-id"), "the input's headers travel along");
    }

    @Test
    void eachRecordHasItsOwnAttempts() {
        IllegalStateException bug = new IllegalStateException("bug");
        handler.handleError(FakeErrorContext.at("t-chat.inbound", 4, 17), RECORD, bug);
        handler.handleError(FakeErrorContext.at("t-chat.inbound", 4, 17), RECORD, bug);

        assertEquals(Result.FAIL, handler.handleError(FakeErrorContext.at("t-chat.inbound", 4, 18), RECORD, bug).result());
        assertEquals(Result.FAIL, handler.handleError(FakeErrorContext.at("t-chat.inbound", 5, 17), RECORD, bug).result());
        assertEquals(List.of(), counted);
    }

    @Test
    void handlersOfOneApplicationShareTheCount() {
        // Kafka Streams makes one handler per task; a replaced thread's task gets a new one
        Map<String, Object> config = Map.of(PoisonRecordPolicy.CONFIG, new PoisonRecordPolicy(2, DeadLetterMetrics.NONE),
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DEAD_LETTERS);
        RetryThenDeadLetterHandler before = new RetryThenDeadLetterHandler();
        RetryThenDeadLetterHandler after = new RetryThenDeadLetterHandler();
        before.configure(config);
        after.configure(config);
        FakeErrorContext context = FakeErrorContext.at("t-chat.inbound", 0, 3);

        assertEquals(Result.FAIL, before.handleError(context, RECORD, new IllegalStateException()).result());
        assertEquals(Result.RESUME, after.handleError(context, RECORD, new IllegalStateException()).result());
    }

    @Test
    void failuresThatAreNotTheRecordsAlwaysFailTheThreadAndAreNotCounted() {
        FakeErrorContext context = FakeErrorContext.at("t-chat.inbound", 4, 17);
        List<Exception> notTheRecords = List.of(
                new StreamsException("Error encountered sending record", new TimeoutException("broker out of reach")),
                new ProducerFencedException("fenced"),
                new ProcessorStateException("rocksdb: no space left"));

        for (int i = 0; i < 5; i++) {
            for (Exception failure : notTheRecords) {
                assertEquals(Result.FAIL, handler.handleError(context, RECORD, failure).result(), failure.toString());
            }
        }
        assertEquals(List.of(), counted);
        assertEquals(Result.FAIL, handler.handleError(context, RECORD, new IllegalStateException()).result(),
                "the record's own first failure");
    }

    @Test
    void aFailureOutsideAnyRecordFailsTheThread() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Result.FAIL,
                    handler.handleError(FakeErrorContext.withoutRecord(), null, new IllegalStateException()).result());
        }
        assertEquals(List.of(), counted);
    }

    @Test
    void refusesToStartWithoutTheSharedPolicyOrTheDeadLetterTopic() {
        Map<String, Object> withoutPolicy = new HashMap<>(Map.of(
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, DEAD_LETTERS));
        Map<String, Object> withoutTopic = new HashMap<>(Map.of(
                PoisonRecordPolicy.CONFIG, new PoisonRecordPolicy(3, DeadLetterMetrics.NONE)));

        assertThrows(ConfigException.class, () -> new RetryThenDeadLetterHandler().configure(withoutPolicy));
        assertThrows(ConfigException.class, () -> new RetryThenDeadLetterHandler().configure(withoutTopic));
    }

    static String header(ProducerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }
}
