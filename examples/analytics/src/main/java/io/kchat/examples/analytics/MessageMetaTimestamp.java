package io.kchat.examples.analytics;

import io.kchat.events.MessageMeta;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Windows by the message's {@code ts} (the gateway's ingest stamp, the time kchat itself orders by) rather than by
 * the record's timestamp, which is the same today but is the broker's business, not the schema's.
 */
final class MessageMetaTimestamp implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return record.value() instanceof MessageMeta meta ? meta.getTs().toEpochMilli() : record.timestamp();
    }
}
