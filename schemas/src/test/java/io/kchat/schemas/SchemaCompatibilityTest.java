package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ConversationState;
import io.kchat.events.LoggedEvent;
import io.kchat.events.MessageFacts;
import io.kchat.events.PendingPush;
import io.kchat.events.UserState;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaIncompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails the build when a schema change breaks compatibility with the released baseline
 * (src/main/resources/io/kchat/events/released). New code must read every released record (backward,
 * strict). Released consumers must read new records (forward) except for records of a union branch or an enum
 * symbol added since: those are the allowed changes, and why consumers upgrade before producers (docs). Each
 * baseline is also registered with the decoder, so stored records of the released version stay readable.
 * To release a change, replace the baseline file with the new schema.
 */
class SchemaCompatibilityTest {

    static Stream<Topic<?, ?>> topics() {
        return Stream.concat(TopicCatalogue.DEFAULT.shared().stream(), Stream.of(TopicCatalogue.DEFAULT.egress("n1")))
                .filter(topic -> topic.valueSerde() instanceof AvroSerde<?>);
    }

    /** State store values: changelogs written by the previous version are restored by the new one. */
    static Stream<Class<?>> stateRecords() {
        return Stream.of(ConversationState.class, UserState.class, LoggedEvent.class, MessageFacts.class, PendingPush.class);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void currentSchemaIsCompatibleWithReleased(Topic<?, ?> topic) {
        Schema current = SpecificData.get().getSchema(((AvroSerde<?>) topic.valueSerde()).type());
        for (Schema old : released(current)) {
            assertBackward(current, old, topic.name());
            var forward = SchemaCompatibility.checkReaderWriterCompatibility(old, current);
            List<SchemaIncompatibilityType> kinds = forward.getResult().getIncompatibilities().stream()
                    .map(Incompatibility::getType).toList();
            assertTrue(kinds.stream().allMatch(kind -> kind == SchemaIncompatibilityType.MISSING_UNION_BRANCH
                            || kind == SchemaIncompatibilityType.MISSING_ENUM_SYMBOLS),
                    () -> "released consumers reading new records of " + topic.name() + ": " + forward.getDescription());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("stateRecords")
    void stateRestoresFromReleasedChangelog(Class<?> type) {
        Schema current = SpecificData.get().getSchema(type);
        for (Schema old : released(current)) {
            assertBackward(current, old, type.getSimpleName() + " changelog");
        }
    }

    private static List<Schema> released(Schema current) {
        List<Schema> released = AvroSerde.ReleasedSchemas.of(current.getName());
        assertFalse(released.isEmpty(), "no released baseline for " + current.getName());
        return released;
    }

    private static void assertBackward(Schema reader, Schema writer, String what) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(),
                () -> "new code reading released records of " + what + ": " + result.getDescription());
    }
}
