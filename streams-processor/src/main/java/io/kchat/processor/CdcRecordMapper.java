package io.kchat.processor;

import io.kchat.schemas.TopicCatalogue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;

/** Turns Debezium change records into the records the relay writes; null for changes it does not relay. */
final class CdcRecordMapper {

    private final TopicCatalogue topics;
    private final String sourcePrefix;
    private final JsonConverter json = new JsonConverter();

    CdcRecordMapper(TopicCatalogue topics, String sourcePrefix) {
        this.topics = topics;
        this.sourcePrefix = sourcePrefix;
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false, "converter.type", "value"));
    }

    ProducerRecord<byte[], byte[]> map(SourceRecord change) {
        if (!(change.value() instanceof Struct envelope) || envelope.schema().field("after") == null
                || !change.topic().startsWith(sourcePrefix + ".")) {
            return null; // a tombstone after a delete, or a heartbeat / transaction marker
        }
        String table = change.topic().substring(sourcePrefix.length() + 1);
        Struct after = envelope.getStruct("after");
        return switch (table) {
            case "public.outbox" -> after == null ? null : outbox(after);
            case "public.users" -> row(topics.cdcUsers().name(), userKey(envelope), after);
            case "public.devices" -> row(topics.cdcDevices().name(), userKey(envelope), after);
            default -> null;
        };
    }

    /** The outbox payload already is the Avro-encoded InboundCommand; relay its bytes unchanged. */
    private ProducerRecord<byte[], byte[]> outbox(Struct after) {
        Object payload = after.get("payload");
        byte[] bytes = payload instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) payload;
        return new ProducerRecord<>(topics.inbound().name(),
                after.getString("aggregate_id").getBytes(StandardCharsets.UTF_8), bytes);
    }

    private ProducerRecord<byte[], byte[]> row(String topic, String key, Struct after) {
        byte[] value = after == null ? null : json.fromConnectData(topic, after.schema(), after);
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
    }

    private static String userKey(Struct envelope) {
        Struct row = envelope.getStruct("after") != null ? envelope.getStruct("after") : envelope.getStruct("before");
        Object userId = row == null ? null : row.get("user_id");
        String deviceId = row != null && row.schema().field("device_id") != null ? row.getString("device_id") : null;
        return deviceId == null ? String.valueOf(userId) : userId + ":" + deviceId;
    }

    private static byte[] toArray(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
