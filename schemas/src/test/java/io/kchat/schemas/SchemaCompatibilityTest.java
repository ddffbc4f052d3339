package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fails the build when a schema change breaks full compatibility with the released baseline
 * (src/main/resources/io/kchat/events/released): old records must stay readable by new code, and
 * records of new code readable by consumers still on the released schema. To release a compatible
 * change, replace the baseline file with the new schema.
 */
class SchemaCompatibilityTest {

    static Stream<Topic<?, ?>> topics() {
        return Stream.concat(TopicCatalogue.DEFAULT.shared().stream(), Stream.of(TopicCatalogue.DEFAULT.egress("n1")))
                .filter(topic -> topic.valueSerde() instanceof AvroSerde<?>);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void currentSchemaIsFullyCompatibleWithReleased(Topic<?, ?> topic) {
        AvroSerde<?> serde = (AvroSerde<?>) topic.valueSerde();
        Schema current = SpecificData.get().getSchema(serde.type());
        List<Schema> released = AvroSerde.ReleasedSchemas.of(current.getName());
        assertFalse(released.isEmpty(), "no released baseline for " + current.getName());
        for (Schema old : released) {
            assertCompatible(current, old, "new code reading released records of " + topic.name());
            assertCompatible(old, current, "released consumers reading new records of " + topic.name());
        }
    }

    private static void assertCompatible(Schema reader, Schema writer, String what) {
        var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        assertEquals(SchemaCompatibilityType.COMPATIBLE, result.getType(), () -> what + ": " + result.getDescription());
    }
}
