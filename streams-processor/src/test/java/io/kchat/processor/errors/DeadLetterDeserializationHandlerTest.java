package io.kchat.processor.errors;

import static io.kchat.processor.errors.RetryThenDeadLetterHandlerTest.header;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Response;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler.Result;
import org.junit.jupiter.api.Test;

class DeadLetterDeserializationHandlerTest {

    @Test
    void aRecordThatCannotBeDecodedIsDeadLetteredAtOnce() {
        List<String> counted = new ArrayList<>();
        DeadLetterDeserializationHandler handler = new DeadLetterDeserializationHandler();
        handler.configure(Map.of(
                PoisonRecordPolicy.CONFIG, new PoisonRecordPolicy(3, (topic, stage) -> counted.add(topic + " " + stage)),
                StreamsConfig.ERRORS_DEAD_LETTER_QUEUE_TOPIC_NAME_CONFIG, "chat.processor-dead-letters"));
        FakeErrorContext context = FakeErrorContext.at("chat.user-inbound", 2, 9);
        ConsumerRecord<byte[], byte[]> garbage = new ConsumerRecord<>("chat.user-inbound", 2, 9,
                context.sourceRawKey(), context.sourceRawValue());

        Response response = handler.handleError(context, garbage, new SerializationException("unknown fingerprint"));

        assertEquals(Result.RESUME, response.result());
        assertEquals(List.of("chat.user-inbound DESERIALIZATION"), counted);
        ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().getFirst();
        assertEquals("chat.processor-dead-letters", deadLetter.topic());
        assertArrayEquals(garbage.value(), deadLetter.value());
        assertEquals("chat.user-inbound", header(deadLetter, "__streams.errors.topic"));
        assertEquals("9", header(deadLetter, "__streams.errors.offset"));
        assertEquals(SerializationException.class.getName(), header(deadLetter, "__streams.errors.exception"));
    }
}
