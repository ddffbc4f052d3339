package io.kchat.processor.errors;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;

/** What Kafka Streams tells an exception handler about the failed record, as a test writes it. */
record FakeErrorContext(String topic, int partition, long offset, Headers headers, String processorNodeId,
                        TaskId taskId, long timestamp, byte[] sourceRawKey, byte[] sourceRawValue)
        implements ErrorHandlerContext {

    static FakeErrorContext at(String topic, int partition, long offset) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("kchat-correlation-id", "c-1".getBytes());
        return new FakeErrorContext(topic, partition, offset, headers, "conversation-commands",
                new TaskId(0, partition), 1_000L, "c1".getBytes(), new byte[] {1, 2, 3});
    }

    /** A failure outside any input record, as Kafka Streams reports a punctuation's. */
    static FakeErrorContext withoutRecord() {
        return new FakeErrorContext(null, -1, -1, new RecordHeaders(), "conversation-commands", new TaskId(0, 0),
                1_000L, null, null);
    }
}
