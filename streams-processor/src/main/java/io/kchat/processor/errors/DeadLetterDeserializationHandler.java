package io.kchat.processor.errors;

import io.kchat.processor.errors.DeadLetterMetrics.FailureStage;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's {@code deserialization.exception.handler}: an input record whose key or value cannot be decoded
 * (garbage, or written with a schema this build does not know: see the upgrade order in docs/topics.md) would fail
 * on every attempt, so it goes to the dead-letter topic at once and is skipped. Kafka Streams builds the dead letter
 * and sends it in the task's transaction, as for a processing failure ({@link RetryThenDeadLetterHandler}).
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);

    private final LogAndContinueExceptionHandler deadLetters = new LogAndContinueExceptionHandler();
    private HandlerConfig config;

    @Override
    public void configure(Map<String, ?> configs) {
        config = HandlerConfig.from(configs);
        deadLetters.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record,
                                Exception exception) {
        RecordPosition position = new RecordPosition(record.topic(), record.partition(), record.offset());
        log.error("cannot decode {}: dead-lettered to {} and skipped", position, config.deadLetterTopic(), exception);
        config.policy().deadLettered(record.topic(), FailureStage.DESERIALIZATION);
        return deadLetters.handleError(context, record, exception);
    }
}
