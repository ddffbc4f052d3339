package io.kchat.schemas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Consumers in other languages read the schemas from the artifact, not from the classes: every topic's value schema
 * is in it as {@code io/kchat/events/<Record>.avsc} (written by the build's induce step), equal to the one the
 * serdes write with. Its fingerprint is the one in each record's header.
 */
class SchemaFilesTest {

    static Stream<Topic<?, ?>> topics() {
        return SchemaCompatibilityTest.topics();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void theValueSchemaOfEveryTopicIsShippedAsAnAvscFile(Topic<?, ?> topic) throws IOException {
        Schema current = SpecificData.get().getSchema(((AvroSerde<?>) topic.valueSerde()).type());
        String path = "/io/kchat/events/" + current.getName() + ".avsc";
        try (InputStream in = SchemaFilesTest.class.getResourceAsStream(path)) {
            assertNotNull(in, path + " is not on the classpath: the induce step of schemas/pom.xml did not run");
            assertEquals(current, new Schema.Parser().parse(in), path);
        }
    }
}
