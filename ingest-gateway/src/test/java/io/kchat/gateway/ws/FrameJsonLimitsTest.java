package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.json.Json;
import io.kchat.gateway.json.JsonSamples;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A frame over a JSON read limit is a BadFrameException (answered {@code bad_request}, the socket stays open). */
class FrameJsonLimitsTest {

    private final ClientFrameParser parser = new ClientFrameParser(WsConfig.DEFAULT_MAX_BODY_CHARS);

    static Stream<Arguments> overALimit() {
        return Stream.of(
                Arguments.of(JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1), "nesting depth"),
                Arguments.of(JsonSamples.string(Json.MAX_STRING_CHARS + 1), "String value length"),
                Arguments.of(JsonSamples.number(Json.MAX_NUMBER_CHARS + 1), "Number value length"),
                Arguments.of(JsonSamples.name(Json.MAX_NAME_CHARS + 1), "Name length"),
                // a frame in a send: the limit applies before any field is looked at
                Arguments.of("{\"type\":\"send\",\"ref\":\"r\",\"id\":\"i\",\"conversationId\":\"c\",\"body\":\"b\","
                        + "\"x\":" + JsonSamples.nested(Json.MAX_NESTING_DEPTH) + "}", "nesting depth"));
    }

    @ParameterizedTest
    @MethodSource("overALimit")
    void isABadFrameNamingTheLimit(String frame, String limit) {
        BadFrameException e = assertThrows(BadFrameException.class, () -> parser.parse(frame));
        assertTrue(e.getMessage().startsWith("frame over a JSON limit: "), e.getMessage());
        assertTrue(e.getMessage().contains(limit), e.getMessage());
        assertFalse(e.getMessage().contains("StreamReadConstraints"), "no hint at our internals: " + e.getMessage());
        assertEquals(null, e.ref(), "nothing of the frame is read, its ref included");
    }
}
