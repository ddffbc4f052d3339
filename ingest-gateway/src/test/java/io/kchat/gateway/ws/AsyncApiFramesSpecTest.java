package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.docs.SpecFiles;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * docs/asyncapi.yaml documents the WebSocket protocol the gateway speaks: every frame type it sends, with every
 * field it writes, and every frame type it accepts, whose documented examples the gateway's own parser reads.
 */
class AsyncApiFramesSpecTest {

    private static final JsonNode SPEC = SpecFiles.asyncApi();
    private static final String SOCKET = "#/channels/socket";

    /** The records a sealed frame type permits, through the sealed interfaces between (such as Identified). */
    private static Set<Class<?>> frameRecords(Class<?> sealed) {
        Set<Class<?>> records = new java.util.HashSet<>();
        for (Class<?> type : sealed.getPermittedSubclasses()) {
            if (type.isRecord()) {
                records.add(type);
            } else {
                records.addAll(frameRecords(type));
            }
        }
        return records;
    }

    @Test
    void everyServerFrameIsDocumentedWithTheFieldsItCarries() throws ReflectiveOperationException {
        Map<String, JsonNode> documented = frames("send");
        Set<String> written = new TreeSet<>();
        for (Class<?> type : ServerFrame.class.getPermittedSubclasses()) {
            String frameType = sample(type).type();
            written.add(frameType);
            JsonNode payload = documented.get(frameType);
            assertTrue(payload != null, "frame '" + frameType + "' is documented");
            Set<String> fields = new TreeSet<>(properties(payload));
            for (RecordComponent component : type.getRecordComponents()) {
                assertTrue(fields.contains(component.getName()),
                        "'" + frameType + "' frames document their field " + component.getName() + ": " + fields);
            }
        }
        assertEquals(written, documented.keySet(), "no documented server frame the gateway never sends");
    }

    @Test
    void everyDocumentedClientFrameIsReadByTheParserAndTogetherTheyCoverEveryFrameItKnows() {
        ClientFrameParser parser = new ClientFrameParser(WsConfig.DEFAULT_MAX_BODY_CHARS);
        Set<Class<?>> parsedInto = new HashSet<>();
        frames("receive").forEach((frameType, payload) -> {
            List<JsonNode> examples = examples(frameType);
            assertFalse(examples.isEmpty(), "'" + frameType + "' has an example");
            for (JsonNode example : examples) {
                assertEquals(frameType, example.path("type").asText(), "the example's type");
                try {
                    ClientFrame frame = parser.parse(example.toString());
                    parsedInto.add(frame.getClass());
                    Set<String> fields = properties(payload);
                    Arrays.stream(frame.getClass().getRecordComponents()).map(RecordComponent::getName).forEach(name ->
                            assertTrue(fields.contains(name), "'" + frameType + "' documents its field " + name));
                } catch (BadFrameException e) {
                    fail("the parser refuses the documented '" + frameType + "' example " + example + ": "
                            + e.getMessage());
                }
            }
        });
        assertEquals(frameRecords(ClientFrame.class), parsedInto,
                "every kind of client frame the gateway reads is documented");
    }

    @Test
    void errorFramesDocumentTheCodesTheGatewaySends() {
        JsonNode code = frames("send").get("error").path("properties").path("code");
        Set<String> documented = new TreeSet<>();
        code.path("enum").forEach(value -> documented.add(value.asText()));
        Set<String> sent = Arrays.stream(ErrorCode.values()).map(ErrorCode::wire)
                .collect(Collectors.toCollection(TreeSet::new));
        assertEquals(sent, documented);
    }

    /** Frame type to payload schema, for the socket operation with this action (send: server frames). */
    private static Map<String, JsonNode> frames(String action) {
        Map<String, JsonNode> frames = new TreeMap<>();
        for (JsonNode operation : SPEC.path("operations")) {
            if (operation.path("channel").path("$ref").asText().equals(SOCKET)
                    && operation.path("action").asText().equals(action)) {
                operation.path("messages").forEach(ref -> {
                    JsonNode payload = SpecFiles.resolve(SPEC, SpecFiles.resolve(SPEC, ref).path("payload"));
                    String type = frameType(payload);
                    assertTrue(frames.put(type, payload) == null, "one '" + type + "' frame per direction");
                });
            }
        }
        assertFalse(frames.isEmpty(), "socket operation '" + action + "'");
        return frames;
    }

    /** The example payloads of the client frame of this type. */
    private static List<JsonNode> examples(String frameType) {
        for (JsonNode operation : SPEC.path("operations")) {
            if (operation.path("channel").path("$ref").asText().equals(SOCKET)
                    && operation.path("action").asText().equals("receive")) {
                for (JsonNode ref : operation.path("messages")) {
                    JsonNode message = SpecFiles.resolve(SPEC, ref);
                    if (frameType(SpecFiles.resolve(SPEC, message.path("payload"))).equals(frameType)) {
                        List<JsonNode> payloads = new ArrayList<>();
                        message.path("examples").forEach(example -> payloads.add(example.path("payload")));
                        return payloads;
                    }
                }
            }
        }
        return List.of();
    }

    private static String frameType(JsonNode payload) {
        String type = SpecFiles.resolve(SPEC, payload).path("properties").path("type").path("const").asText(null);
        if (type == null) {
            for (JsonNode part : payload.path("allOf")) {
                type = type != null ? type : frameType(SpecFiles.resolve(SPEC, part));
            }
        }
        if (type == null) {
            throw new AssertionError("a frame without a constant type: " + payload);
        }
        return type;
    }

    /** The payload's property names, through {@code allOf} and references. */
    private static Set<String> properties(JsonNode payload) {
        JsonNode schema = SpecFiles.resolve(SPEC, payload);
        Set<String> names = new TreeSet<>();
        schema.path("properties").fieldNames().forEachRemaining(names::add);
        schema.path("allOf").forEach(part -> names.addAll(properties(part)));
        return names;
    }

    /** A frame of this record type with zero, false and null components: enough to ask its type. */
    private static ServerFrame sample(Class<?> type) throws ReflectiveOperationException {
        Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Object[] values = Arrays.stream(types).map(AsyncApiFramesSpecTest::zero).toArray();
        return (ServerFrame) type.getDeclaredConstructor(types).newInstance(values);
    }

    private static Object zero(Class<?> type) {
        if (type == long.class) {
            return 0L;
        }
        if (type == int.class) {
            return 0;
        }
        return type == boolean.class ? false : null;
    }
}
