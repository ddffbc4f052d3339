package io.kchat.processor.cdc;

import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.UserCommand;
import io.kchat.schemas.OutboxEvents;
import io.kchat.schemas.TopicCatalogue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.json.JsonConverterConfig;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns Debezium change records into the records the relay writes; none for changes it does not relay. */
final class CdcRecordMapper {

    private static final Logger log = LoggerFactory.getLogger(CdcRecordMapper.class);

    private final TopicCatalogue topics;
    private final String sourcePrefix;
    private final DeviceRows.Lookup deviceRows;
    private final Serializer<UserCommand> userCommands;
    private final JsonConverter json = new JsonConverter();

    CdcRecordMapper(TopicCatalogue topics, String sourcePrefix, DeviceRows.Lookup deviceRows) {
        this.topics = topics;
        this.sourcePrefix = sourcePrefix;
        this.deviceRows = deviceRows;
        this.userCommands = topics.userInbound().valueSerde().serializer();
        json.configure(Map.of(JsonConverterConfig.SCHEMAS_ENABLE_CONFIG, false, "converter.type", "value"));
    }

    List<ProducerRecord<byte[], byte[]>> map(SourceRecord change) throws SQLException {
        String table = table(change);
        if (table == null) {
            return List.of(); // a tombstone after a delete, or a heartbeat / transaction marker
        }
        Struct envelope = (Struct) change.value();
        Struct after = envelope.getStruct("after");
        return switch (table) {
            case "public.outbox" -> after == null ? List.of() : outbox(after);
            case "public.users" -> List.of(row(topics.cdcUsers().name(), userKey(envelope), after));
            case "public.devices" -> devices(envelope, after);
            default -> List.of();
        };
    }

    /** The outbox row id of a relayed outbox insert, or -1: what the janitor may delete once relayed. */
    long outboxId(SourceRecord change) {
        if (!"public.outbox".equals(table(change))) {
            return -1;
        }
        Struct after = ((Struct) change.value()).getStruct("after");
        return after == null ? -1 : after.getInt64("id");
    }

    private String table(SourceRecord change) {
        if (!(change.value() instanceof Struct envelope) || envelope.schema().field("after") == null
                || !change.topic().startsWith(sourcePrefix + ".")) {
            return null;
        }
        return change.topic().substring(sourcePrefix.length() + 1);
    }

    /**
     * The outbox payload already is the Avro-encoded record (an InboundCommand, a UserCommand: {@link OutboxEvents});
     * relay its bytes unchanged to the topic of its event type. A type this version does not know is not relayed: it
     * was written by a newer gateway, whose own publish carried it.
     */
    private List<ProducerRecord<byte[], byte[]>> outbox(Struct after) {
        String eventType = after.getString("event_type");
        Optional<String> topic = OutboxEvents.topicOf(eventType, topics);
        if (topic.isEmpty()) {
            log.error("not relaying outbox row {}: unknown event type {}", after.getInt64("id"), eventType);
            return List.of();
        }
        Object payload = after.get("payload");
        byte[] bytes = payload instanceof ByteBuffer buffer ? toArray(buffer) : (byte[]) payload;
        return List.of(new ProducerRecord<>(topic.get(),
                after.getString("aggregate_id").getBytes(StandardCharsets.UTF_8), bytes));
    }

    /**
     * The row for analytics, and for the user side a registration (insert, or a row of the initial
     * snapshot) or a removal (delete). CDC is the safety net behind the gateway's own publish, so
     * these are copies the user side applies idempotently; a copy that the row's current state
     * contradicts is stale and not relayed.
     */
    private List<ProducerRecord<byte[], byte[]>> devices(Struct envelope, Struct after) throws SQLException {
        ProducerRecord<byte[], byte[]> row = row(topics.cdcDevices().name(), userKey(envelope), after);
        ProducerRecord<byte[], byte[]> command;
        try {
            command = switch (envelope.getString("op")) {
                case "c", "r" -> registered(after);
                // With the default replica identity a delete carries the key columns in `before`.
                case "d" -> removed(envelope.getStruct("before"), changedAt(envelope));
                default -> null; // an update (last_seen_at) changes nothing on the user side
            };
        } catch (RuntimeException e) {
            // A row we cannot read would be redelivered forever and hold up the outbox behind it; the
            // gateway published this change itself, so skipping the safety-net copy loses little.
            log.error("not relaying device change {} to the user side", userKey(envelope), e);
            command = null;
        }
        return command == null ? List.of(row) : List.of(row, command);
    }

    private ProducerRecord<byte[], byte[]> registered(Struct row) throws SQLException {
        String userId = row.getString("user_id");
        String deviceId = row.getString("device_id");
        if (!deviceRows.exists(userId, deviceId)) {
            return null; // logged out since: the gateway's removal stands
        }
        return toUserSide(userId, new DeviceRegistered(userId, deviceId, instant(row.get("created_at"))));
    }

    private ProducerRecord<byte[], byte[]> removed(Struct key, Instant at) throws SQLException {
        String userId = key.getString("user_id");
        String deviceId = key.getString("device_id");
        if (deviceRows.exists(userId, deviceId)) {
            return null; // logged in again since: its new registration stands
        }
        return toUserSide(userId, new DeviceRemoved(userId, deviceId, at));
    }

    private ProducerRecord<byte[], byte[]> toUserSide(String userId, Object command) {
        String topic = topics.userInbound().name();
        return new ProducerRecord<>(topic, userId.getBytes(StandardCharsets.UTF_8),
                userCommands.serialize(topic, new UserCommand(command)));
    }

    /** When the database committed the change; the connector's own time if the source does not say. */
    private static Instant changedAt(Struct envelope) {
        Struct source = envelope.getStruct("source");
        Long committed = source == null ? null : source.getInt64("ts_ms");
        return Instant.ofEpochMilli(committed != null ? committed : envelope.getInt64("ts_ms"));
    }

    /** timestamptz arrives as an ISO-8601 string (Debezium's ZonedTimestamp). */
    private static Instant instant(Object value) {
        return switch (value) {
            case String text -> OffsetDateTime.parse(text).toInstant();
            case Date date -> date.toInstant();
            case Long millis -> Instant.ofEpochMilli(millis);
            default -> throw new IllegalArgumentException("not a timestamp: " + value);
        };
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
