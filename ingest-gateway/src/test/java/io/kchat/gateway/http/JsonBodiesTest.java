package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonBodiesTest {

    record Body(String name, List<String> ids, Boolean flag) {
    }

    @Test
    void readsARecordIgnoringUnknownFields() {
        Body body = parse("{\"name\":\"a\",\"ids\":[\"x\",\"y\"],\"extra\":{\"nested\":1}}");

        assertEquals(new Body("a", List.of("x", "y"), null), body);
    }

    @Test
    void missingFieldsAreNullForTheCallerToValidate() {
        assertNull(parse("{}").name());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "{", "{\"name\":}", "not json", "[1,2]", "\"text\"", "null", "42",
            "{\"name\":1}", "{\"name\":true}", "{\"name\":{\"a\":1}}", "{\"ids\":\"x\"}", "{\"ids\":[1]}",
            "{\"flag\":\"yes\"}", "{\"name\":\"a\",\"name\":\"b\"}"})
    void everyClientMistakeIsABadRequestWithoutInternals(String json) {
        ApiException e = assertThrows(ApiException.class, () -> parse(json));

        assertEquals(400, e.status());
        assertEquals(ProblemCode.BAD_REQUEST, e.code());
        assertFalse(String.valueOf(e.detail()).contains("io.kchat"), e.detail());
        assertFalse(String.valueOf(e.detail()).contains("jackson"), e.detail());
    }

    @Test
    void namesTheFieldOfAWrongType() {
        ApiException e = assertThrows(ApiException.class, () -> parse("{\"ids\":[\"a\", 3]}"));

        assertEquals("field 'ids[1]' has the wrong type", e.detail());
    }

    private static Body parse(String json) {
        return JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8), Body.class);
    }
}
