package io.kchat.gateway.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * docs/asyncapi.yaml describes every topic of the {@link TopicCatalogue} as it is: its name under the prefix, its
 * partitions, retention and cleanup, and one message per record its value can carry (each branch of the value's
 * union), each pointing at the released schema of that value.
 */
class AsyncApiTopicsSpecTest {

    private static final JsonNode SPEC = SpecFiles.asyncApi();
    private static final String SOCKET = "/v1/ws";

    static Stream<Topic<?, ?>> topics() {
        return Stream.concat(TopicCatalogue.DEFAULT.shared().stream(),
                Stream.of(TopicCatalogue.DEFAULT.egress("{nodeId}")));
    }

    @Test
    void everyChannelButTheSocketIsATopic() {
        Set<String> addresses = new TreeSet<>();
        SPEC.path("channels").forEach(channel -> addresses.add(channel.path("address").asText()));
        assertTrue(addresses.remove(SOCKET), "the WebSocket channel: " + addresses);
        assertEquals(topics().map(topic -> "{prefix}" + topic.name()).collect(Collectors.toCollection(TreeSet::new)),
                addresses);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void aTopicsChannelHasItsSettings(Topic<?, ?> topic) {
        JsonNode kafka = channel(topic).path("bindings").path("kafka");
        assertEquals(topic.partitions(), kafka.path("partitions").asInt(), "partitions");
        JsonNode retention = kafka.path("topicConfiguration").path("retention.ms");
        if (topic.retention() == null) {
            assertTrue(retention.isMissingNode(), "infinite retention: " + retention);
        } else {
            assertEquals(topic.retention().toMillis(), retention.asLong(), "retention.ms");
        }
        String cleanup = topic.config().get("cleanup.policy");
        JsonNode documented = kafka.path("topicConfiguration").path("cleanup.policy");
        assertEquals(cleanup == null ? Set.of() : Set.of(cleanup), texts(documented), "cleanup.policy");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topics")
    void aTopicsMessagesAreTheRecordsItsValueCarries(Topic<?, ?> topic) throws IOException {
        List<JsonNode> messages = new ArrayList<>();
        channel(topic).path("messages").forEach(ref -> messages.add(SpecFiles.resolve(SPEC, ref)));
        assertFalse(messages.isEmpty(), "messages of " + topic.name());
        if (!(topic.valueSerde() instanceof AvroSerde<?> avro)) {
            messages.forEach(message -> assertFalse(message.has("x-avro-record"), "a JSON row: " + message));
            return;
        }
        Schema value = SpecificData.get().getSchema(avro.type());
        Set<String> branches = new TreeSet<>();
        for (JsonNode message : messages) {
            assertEquals(value.getFullName(), message.path("x-avro-record").asText(), message.path("name").asText());
            if (message.has("x-avro-branch")) {
                branches.add(message.get("x-avro-branch").asText());
            }
            assertEquals(value.getFullName(), released(message).getFullName(), "the payload's schema file");
        }
        Set<String> union = unionBranches(value);
        if (union.isEmpty()) {
            assertEquals(1, messages.size(), "a plain record is one message");
        }
        assertEquals(union, branches, "one message per branch of the value's union");
    }

    private static JsonNode channel(Topic<?, ?> topic) {
        String address = "{prefix}" + topic.name();
        JsonNode found = null;
        for (JsonNode channel : SPEC.path("channels")) {
            if (channel.path("address").asText().equals(address)) {
                found = channel;
            }
        }
        assertNotNull(found, "a channel for " + address);
        return found;
    }

    /** The .avsc a message's payload points at, relative to the AsyncAPI document. */
    private static Schema released(JsonNode message) throws IOException {
        JsonNode payload = SpecFiles.resolve(SPEC, message.path("payload"));
        assertEquals("application/vnd.apache.avro+json;version=1.9.0", payload.path("schemaFormat").asText());
        Path file = SpecFiles.ASYNCAPI.getParent().resolve(payload.path("schema").path("$ref").asText());
        assertTrue(Files.isRegularFile(file), "schema file " + file);
        return new Schema.Parser().parse(file.toFile());
    }

    /** The records of the value's one top-level union of records (a command or item), or none. */
    private static Set<String> unionBranches(Schema value) {
        Set<String> names = new TreeSet<>();
        for (Schema.Field field : value.getFields()) {
            Schema type = field.schema();
            if (type.getType() == Schema.Type.UNION
                    && type.getTypes().stream().allMatch(branch -> branch.getType() == Schema.Type.RECORD)) {
                type.getTypes().forEach(branch -> names.add(branch.getFullName()));
            }
        }
        return names;
    }

    private static Set<String> texts(JsonNode node) {
        Set<String> texts = new TreeSet<>();
        if (node.isArray()) {
            node.forEach(item -> texts.add(item.asText()));
        } else if (!node.isMissingNode()) {
            texts.add(node.asText());
        }
        return texts;
    }
}
