package io.kchat.processor.errors;

import io.kchat.processor.errors.DeadLetterMetrics.FailureStage;
import io.kchat.processor.errors.PoisonRecordPolicy.Attempt;
import java.util.Map;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.LogAndContinueProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processor's {@code processing.exception.handler}: a record whose processing throws is retried (FAIL: the
 * stream thread is replaced and the record processed again) until its last attempt ({@link PoisonRecordPolicy}),
 * then written to the dead-letter topic and skipped (RESUME). Kafka Streams builds the dead letter (KIP-1034: the
 * source record's key, value and headers plus {@code __streams.errors.*} headers) and sends it in the task's
 * transaction, which also commits the skip: a read_committed reader sees the dead letter once the partition has moved
 * past its record.
 *
 * <p>What a dead-lettered record did before it threw stays: state it wrote and records it forwarded are committed
 * with the skip. Failures that are not the record's ({@link RecordIndependentFailure}), and failures outside any
 * record (a punctuation), always answer FAIL and are not counted.
 */
public final class RetryThenDeadLetterHandler implements ProcessingExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(RetryThenDeadLetterHandler.class);

    private final LogAndContinueProcessingExceptionHandler deadLetters = new LogAndContinueProcessingExceptionHandler();
    private HandlerConfig config;

    @Override
    public void configure(Map<String, ?> configs) {
        config = HandlerConfig.from(configs);
        deadLetters.configure(configs);
    }

    @Override
    public Response handleError(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        if (context.topic() == null) {
            log.error("processing failed outside any input record in {} (task {}); the stream thread is replaced",
                    context.processorNodeId(), context.taskId(), exception);
            return Response.fail();
        }
        RecordPosition position = new RecordPosition(context.topic(), context.partition(), context.offset());
        if (RecordIndependentFailure.matches(exception)) {
            log.warn("processing {} failed in {} for a reason that is not the record's, not counted against it; the "
                    + "stream thread is replaced", position, context.processorNodeId(), exception);
            return Response.fail();
        }
        Attempt attempt = config.policy().failed(position);
        if (!attempt.isLast()) {
            log.warn("processing {} failed in {}, attempt {} of {}; the stream thread is replaced and the record "
                    + "processed again", position, context.processorNodeId(), attempt.number(), attempt.of(),
                    exception);
            return Response.fail();
        }
        log.error("processing {} failed in {}, attempt {} of {}: dead-lettered to {} and skipped", position,
                context.processorNodeId(), attempt.number(), attempt.of(), config.deadLetterTopic(), exception);
        config.policy().deadLettered(context.topic(), FailureStage.PROCESSING);
        return deadLetters.handleError(context, record, exception);
    }
}
