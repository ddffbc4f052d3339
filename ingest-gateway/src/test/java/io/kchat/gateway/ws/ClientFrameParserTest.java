package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.messages.AttachmentRequest;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ClientFrameParserTest {

    private final ClientFrameParser parser = new ClientFrameParser(10);

    @Test
    void readsEveryClientFrame() throws BadFrameException {
        assertEquals(new ClientFrame.Auth(null, "tok"), parser.parse("{\"type\":\"auth\",\"token\":\"tok\"}"));
        assertEquals(new ClientFrame.Send("r1", "id1", "c1", "hi"),
                parser.parse("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"id1\",\"conversationId\":\"c1\",\"body\":\"hi\"}"));
        assertEquals(new ClientFrame.Ack(null, 42), parser.parse("{\"type\":\"ack\",\"userSeq\":42}"));
        assertEquals(new ClientFrame.Read(null, "c1", 7), parser.parse("{\"type\":\"read\",\"conversationId\":\"c1\",\"seq\":7}"));
        assertEquals(new ClientFrame.Typing(null, "c1", true),
                parser.parse("{\"type\":\"typing\",\"conversationId\":\"c1\",\"active\":true}"));
        assertEquals(new ClientFrame.Ping("p"), parser.parse("{\"type\":\"ping\",\"ref\":\"p\",\"extra\":1}"));
        assertEquals(new ClientFrame.AssistantStop("s", "c1", 7), parser.parse(
                "{\"type\":\"assistant_stop\",\"ref\":\"s\",\"conversationId\":\"c1\",\"replyTo\":7}"));
        assertEquals("assistant_stop", new ClientFrame.AssistantStop(null, "c1", 7).type());
    }

    @Test
    void aSendWithAttachmentsMayHaveNoBody() throws BadFrameException {
        List<AttachmentRequest> photo = List.of(new AttachmentRequest("m1", "cat.jpg", null));
        assertEquals(new ClientFrame.Send(null, "id1", "c1", "", null, null, photo), parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"attachments\":[{\"mediaId\":\"m1\","
                        + "\"name\":\"/tmp/cat.jpg\"}]}"));
        assertEquals(new ClientFrame.Send(null, "id1", "c1", "", null, null, photo), parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"body\":\"\",\"attachments\":"
                        + "[{\"mediaId\":\"m1\",\"name\":\"cat.jpg\"}]}"));
        assertEquals(new ClientFrame.Send(null, "id1", "c1", "look", null, null, photo), parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"body\":\"look\",\"attachments\":"
                        + "[{\"mediaId\":\"m1\",\"name\":\"cat.jpg\"}]}"));
    }

    @Test
    void attachmentsAreRefusedWithACiphertextOrOverTheLimits() {
        assertTrue(assertThrows(BadFrameException.class, () -> parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"ciphertext\":{},\"attachments\":"
                        + "[{\"mediaId\":\"m1\"}]}")).getMessage().contains("encrypted"));
        assertTrue(assertThrows(BadFrameException.class, () -> parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"body\":\"\",\"attachments\":[]}"))
                .getMessage().contains("body"), "no attachment: a body is required");
        assertTrue(assertThrows(BadFrameException.class, () -> parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"attachments\":"
                        + "[{\"mediaId\":\"m1\"},{\"mediaId\":\"m1\"}]}")).getMessage().contains("twice"));
        assertTrue(assertThrows(BadFrameException.class, () -> parser.parse(
                "{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"attachments\":"
                        + "[{\"mediaId\":\"m1\",\"durationMs\":0}]}")).getMessage().contains("durationMs"));
    }

    @Test
    void readsRepliesEditsDeletesAndReactions() throws BadFrameException {
        assertEquals(new ClientFrame.Send(null, "id1", "c1", "yes", null, 3L),
                parser.parse("{\"type\":\"send\",\"id\":\"id1\",\"conversationId\":\"c1\",\"body\":\"yes\",\"replyTo\":3}"));
        assertEquals(new ClientFrame.Edit("r", "e1", "c1", 3, "fixed", null),
                parser.parse("{\"type\":\"edit\",\"ref\":\"r\",\"id\":\"e1\",\"conversationId\":\"c1\",\"seq\":3,\"body\":\"fixed\"}"));
        assertEquals(new ClientFrame.Delete(null, "d1", "c1", 3),
                parser.parse("{\"type\":\"delete\",\"id\":\"d1\",\"conversationId\":\"c1\",\"seq\":3}"));
        assertEquals(new ClientFrame.React(null, "x1", "c1", 3, "\uD83D\uDC4D", false),
                parser.parse("{\"type\":\"react\",\"id\":\"x1\",\"conversationId\":\"c1\",\"seq\":3,\"key\":\"\uD83D\uDC4D\"}"));
        assertEquals(new ClientFrame.React(null, "x1", "c1", 3, "ok", true),
                parser.parse("{\"type\":\"react\",\"id\":\"x1\",\"conversationId\":\"c1\",\"seq\":3,\"key\":\"ok\",\"remove\":true}"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"edit\",\"id\":\"e\",\"conversationId\":\"c\",\"seq\":0,\"body\":\"b\"}|seq must be a positive integer (a message's seq)",
            "{\"type\":\"edit\",\"id\":\"e\",\"conversationId\":\"c\",\"seq\":1}|body must be a non-empty string",
            "{\"type\":\"delete\",\"id\":\"e\",\"conversationId\":\"c\"}|seq must be a positive integer (a message's seq)",
            "{\"type\":\"react\",\"id\":\"e\",\"conversationId\":\"c\",\"seq\":1,\"key\":\"\"}|key must be a non-empty string",
            "{\"type\":\"react\",\"id\":\"e\",\"conversationId\":\"c\",\"seq\":1,\"key\":\"k\",\"remove\":\"yes\"}|remove must be true or false",
            "{\"type\":\"send\",\"id\":\"e\",\"conversationId\":\"c\",\"body\":\"b\",\"replyTo\":-1}|replyTo must be a positive integer (a message's seq)"})
    void refusesMalformedUpdates(String json, String message) {
        assertRefused(json, message);
    }

    @Test
    void aReactionKeyIsAtMost32Characters() throws BadFrameException {
        String key = "\uD83D\uDE00".repeat(32);
        assertEquals(key, ((ClientFrame.React) parser.parse(react(key))).key());
        assertRefused(react(key + "x"), "key must be at most 32 characters");
    }

    private static String react(String key) {
        return "{\"type\":\"react\",\"id\":\"x\",\"conversationId\":\"c\",\"seq\":1,\"key\":\"" + key + "\"}";
    }

    @Test
    void bodyLimitCountsCharactersNotUtf16Units() throws BadFrameException {
        String tenEmoji = "\uD83D\uDE00".repeat(10);
        assertEquals(tenEmoji, ((ClientFrame.Send) parser.parse(send("id", "c", tenEmoji))).body());
        assertRefused(send("id", "c", "x".repeat(11)), "body must be at most 10 characters");
    }

    @Test
    void refusesHalfASurrogatePairWhichUtf8CannotCarry() throws BadFrameException {
        assertRefused(send("id", "c", "a\\ud800b"), "body must be valid Unicode (no unpaired surrogate)");
        assertRefused(send("id\\udc00", "c", "b"), "id must be valid Unicode (no unpaired surrogate)");
        assertEquals("\uD83D\uDE00", ((ClientFrame.Send) parser.parse(send("id", "c", "\\ud83d\\ude00"))).body());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"type\":\"send\",\"ref\":\"r\",\"conversationId\":\"c\",\"body\":\"b\"}|id must be a non-empty string",
            "{\"type\":\"send\",\"ref\":\"r\",\"id\":\"\",\"conversationId\":\"c\",\"body\":\"b\"}|id must be a non-empty string",
            "{\"type\":\"send\",\"ref\":\"r\",\"id\":\"i\",\"conversationId\":5,\"body\":\"b\"}|conversationId must be a non-empty string",
            "{\"type\":\"send\",\"ref\":\"r\",\"id\":\"i\",\"conversationId\":\"c\",\"body\":\"\"}|body must be a non-empty string",
            "{\"type\":\"ack\",\"ref\":\"r\",\"userSeq\":-1}|userSeq must be a non-negative integer",
            "{\"type\":\"ack\",\"ref\":\"r\",\"userSeq\":\"3\"}|userSeq must be a non-negative integer",
            "{\"type\":\"read\",\"ref\":\"r\",\"conversationId\":\"c\",\"seq\":1.5}|seq must be a non-negative integer",
            "{\"type\":\"typing\",\"ref\":\"r\",\"conversationId\":\"c\"}|active must be true or false",
            "{\"type\":\"assistant_stop\",\"ref\":\"r\",\"conversationId\":\"c\"}|replyTo must be a positive integer (a message's seq)",
            "{\"type\":\"assistant_stop\",\"ref\":\"r\",\"conversationId\":\"c\",\"replyTo\":0}|replyTo must be a positive integer (a message's seq)",
            "{\"type\":\"assistant_stop\",\"ref\":\"r\",\"conversationId\":\"c\",\"replyTo\":\"7\"}|replyTo must be a positive integer (a message's seq)",
            "{\"type\":\"assistant_stop\",\"ref\":\"r\",\"replyTo\":7}|conversationId must be a non-empty string",
            "{\"type\":\"dance\",\"ref\":\"r\"}|unknown frame type 'dance'",
            "{\"ref\":\"r\"}|type must be a non-empty string",
    })
    void refusesInvalidFieldsAndKeepsTheRef(String json, String message) {
        BadFrameException refused = assertThrows(BadFrameException.class, () -> parser.parse(json));
        assertEquals(message, refused.getMessage());
        assertEquals("r", refused.ref());
    }

    @Test
    void idsAreLimitedTo128Characters() throws BadFrameException {
        parser.parse(send("i".repeat(128), "c".repeat(128), "b"));
        assertRefused(send("i".repeat(129), "c", "b"), "id must be at most 128 characters");
        assertRefused(send("i", "c".repeat(129), "b"), "conversationId must be at most 128 characters");
    }

    @Test
    void aBodyWithTheNulCharacterIsRefused() {
        assertRefused("{\"type\":\"send\",\"id\":\"i\",\"conversationId\":\"c\",\"body\":\"a\\u0000b\"}",
                "body must not contain the NUL character");
    }

    @Test
    void refusesWhatIsNotAJsonObject() {
        BadFrameException malformed = assertThrows(BadFrameException.class, () -> parser.parse("{\"type\":"));
        assertTrue(malformed.getMessage().startsWith("malformed JSON"), malformed.getMessage());
        assertNull(malformed.ref());
        assertRefused("[1,2]", "a frame must be a JSON object");
        assertRefused("{\"type\":\"ping\",\"type\":\"ping\"}", null);
        assertRefused("{\"type\":\"ping\",\"ref\":7}", "ref must be a string");
    }

    private void assertRefused(String json, String message) {
        BadFrameException refused = assertThrows(BadFrameException.class, () -> parser.parse(json));
        if (message != null) {
            assertEquals(message, refused.getMessage());
        }
    }

    private static String send(String id, String conversationId, String body) {
        return "{\"type\":\"send\",\"id\":\"" + id + "\",\"conversationId\":\"" + conversationId
                + "\",\"body\":\"" + body + "\"}";
    }
}
