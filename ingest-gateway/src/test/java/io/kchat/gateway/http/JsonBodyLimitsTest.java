package io.kchat.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kchat.gateway.json.Json;
import io.kchat.gateway.json.JsonSamples;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A REST body over a JSON read limit is a 400 {@code bad_request}, as any malformed body. */
class JsonBodyLimitsTest {

    record Body(String s, Long n, List<Object> items, Map<String, Object> extra) {
    }

    static Stream<String> overALimit() {
        return Stream.of(
                "{\"items\":" + JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1) + "}",
                "{\"extra\":" + JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1) + "}",
                JsonSamples.string(Json.MAX_STRING_CHARS + 1),
                JsonSamples.number(Json.MAX_NUMBER_CHARS + 1),
                JsonSamples.name(Json.MAX_NAME_CHARS + 1));
    }

    @ParameterizedTest
    @MethodSource("overALimit")
    void isABadRequest(String json) {
        ApiException e = assertThrows(ApiException.class,
                () -> JsonBodies.parse(json.getBytes(StandardCharsets.UTF_8), Body.class));
        assertEquals(400, e.status());
        assertEquals(ProblemCode.BAD_REQUEST, e.code());
    }
}
