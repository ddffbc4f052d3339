package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.errors.Refusal;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttachmentRequestsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void readsTheClientsPartAndIgnoresWhatTheServerFillsIn() {
        assertEquals(List.of(new AttachmentRequest("m1", "passwd", null), new AttachmentRequest("m2", null, 4200L)),
                AttachmentRequests.parse(json("[{\"mediaId\":\"m1\",\"name\":\"../../etc/passwd\","
                        + "\"contentType\":\"text/evil\",\"size\":1},{\"mediaId\":\"m2\",\"durationMs\":4200}]")));
        assertEquals(List.of(), AttachmentRequests.parse(null));
        assertEquals(List.of(), AttachmentRequests.parse(json("null")));
        assertEquals(List.of(), AttachmentRequests.parse(json("[]")));
    }

    @Test
    void atMostTenAndEachMediaOnce() {
        assertEquals(10, AttachmentRequests.parse(json(many(10))).size());

        assertTrue(refused(many(11)).contains("at most 10"));
        assertTrue(refused("[{\"mediaId\":\"m1\"},{\"mediaId\":\"m2\"},{\"mediaId\":\"m1\"}]")
                .contains("attachments[2].mediaId"));
    }

    @Test
    void durationIsFromOneMillisecondToADay() {
        assertEquals(86_400_000L, AttachmentRequests.parse(json("[{\"mediaId\":\"m\",\"durationMs\":86400000}]"))
                .getFirst().durationMs());
        assertEquals(1L, AttachmentRequests.parse(json("[{\"mediaId\":\"m\",\"durationMs\":1}]")).getFirst()
                .durationMs());
        for (String bad : List.of("0", "-5", "86400001", "1.5", "\"100\"", "true", "99999999999999999999")) {
            assertTrue(refused("[{\"mediaId\":\"m\",\"durationMs\":" + bad + "}]")
                    .contains("attachments[0].durationMs"), bad);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "\"m1\"", "[\"m1\"]", "[{}]", "[{\"mediaId\":\"\"}]", "[{\"mediaId\":7}]",
            "[{\"mediaId\":\"m\",\"name\":3}]", "[null]"})
    void malformedAttachmentsAreRefused(String attachments) {
        Refusal refusal = assertThrows(Refusal.class, () -> AttachmentRequests.parse(json(attachments)));
        assertEquals(Refusal.Kind.INVALID, refusal.kind());
    }

    @Test
    void aTooLongMediaIdIsRefused() {
        assertTrue(refused("[{\"mediaId\":\"" + "m".repeat(MessageLimits.MAX_ID_CHARS + 1) + "\"}]")
                .contains("attachments[0].mediaId"));
    }

    private static String refused(String attachments) {
        Refusal refusal = assertThrows(Refusal.class, () -> AttachmentRequests.parse(json(attachments)));
        assertEquals(Refusal.Kind.INVALID, refusal.kind());
        return refusal.detail();
    }

    private static String many(int count) {
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            array.append(i == 0 ? "" : ",").append("{\"mediaId\":\"m").append(i).append("\"}");
        }
        return array.append("]").toString();
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
