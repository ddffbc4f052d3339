package io.kchat.delivery.loop;

import io.kchat.schemas.AvroSerde;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Decodes record values; a poison record is logged with its coordinates and skipped, never retried. */
public final class RecordDecoder {

    private static final Logger log = LoggerFactory.getLogger(RecordDecoder.class);

    private RecordDecoder() {
    }

    /** The decoded value, or {@code null} for an empty or undecodable record (logged). */
    public static <T extends SpecificRecord> T decode(AvroSerde<T> serde, ConsumerRecord<byte[], byte[]> record) {
        if (record.value() == null) {
            log.debug("skipping empty record {}-{}@{}", record.topic(), record.partition(), record.offset());
            return null;
        }
        try {
            return serde.decode(record.value());
        } catch (SerializationException e) {
            // a poison record must not stop every record behind it
            log.error("skipping undecodable {} record {}-{}@{}", serde.type().getSimpleName(), record.topic(),
                    record.partition(), record.offset(), e);
            return null;
        }
    }
}
