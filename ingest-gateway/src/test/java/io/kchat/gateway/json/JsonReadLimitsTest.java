package io.kchat.gateway.json;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Each read limit of the one JSON configuration, met alone, fails as a typed Jackson error; just below it passes. */
class JsonReadLimitsTest {

    private final ObjectMapper mapper = Json.mapper();

    @Test
    void nestingDepth() {
        assertDoesNotThrow(() -> mapper.readTree(JsonSamples.nested(Json.MAX_NESTING_DEPTH)));
        assertLimit(JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1), "nesting depth");
    }

    @Test
    void stringLength() {
        assertDoesNotThrow(() -> mapper.readTree(JsonSamples.string(Json.MAX_STRING_CHARS)));
        assertLimit(JsonSamples.string(Json.MAX_STRING_CHARS + 1), "String value length");
    }

    @Test
    void numberLength() {
        assertDoesNotThrow(() -> mapper.readTree(JsonSamples.number(Json.MAX_NUMBER_CHARS)));
        assertLimit(JsonSamples.number(Json.MAX_NUMBER_CHARS + 1), "Number value length");
        assertLimit("{\"n\":1." + "5".repeat(Json.MAX_NUMBER_CHARS) + "}", "Number value length");
    }

    @Test
    void nameLength() {
        assertDoesNotThrow(() -> mapper.readTree(JsonSamples.name(Json.MAX_NAME_CHARS)));
        assertLimit(JsonSamples.name(Json.MAX_NAME_CHARS + 1), "Name length");
    }

    /**
     * Jackson checks the document length where it loads more input: on streamed input. A String or byte[] is one
     * block, so the edges bound those themselves before parsing (frame limit, REST body limit).
     */
    @Test
    void documentLengthOfStreamedInput() {
        // checked per loaded block: well over the limit, so that no block boundary lets it slip by
        String big = JsonSamples.document(Json.MAX_DOCUMENT_LENGTH + 64 * 1024);
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class,
                () -> mapper.readTree(new ByteArrayInputStream(big.getBytes(StandardCharsets.UTF_8))));
        assertTrue(e.getMessage().contains("Document length"), e.getMessage());
        assertThrows(StreamConstraintsException.class, () -> mapper.readTree(new StringReader(big)));
        assertDoesNotThrow(() -> mapper.readTree(new StringReader(JsonSamples.document(Json.MAX_DOCUMENT_LENGTH - 64))));
    }

    @Test
    void aCopiedMapperKeepsTheLimits() {
        assertThrows(StreamConstraintsException.class,
                () -> mapper.copy().readTree(JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1)));
    }

    private void assertLimit(String json, String what) {
        StreamConstraintsException e = assertThrows(StreamConstraintsException.class, () -> mapper.readTree(json));
        assertTrue(e.getMessage().contains(what), e.getMessage());
    }
}
