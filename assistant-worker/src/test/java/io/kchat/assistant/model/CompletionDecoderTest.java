package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CompletionDecoderTest {

    private static final int CAP = 4096;

    private static String delta(String content) {
        return "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":null}]}\n\n";
    }

    private static final String FINISH = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";

    /** Feeds the body in pieces of {@code size} bytes (splitting lines and characters), then ends it. */
    private static List<CompletionChunk> decode(String body, int size) throws AttemptFailure {
        CompletionDecoder decoder = new CompletionDecoder(CAP);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        List<CompletionChunk> chunks = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += size) {
            chunks.addAll(decoder.feed(ByteBuffer.wrap(Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size)))));
        }
        chunks.addAll(decoder.end());
        return chunks;
    }

    private static String text(List<CompletionChunk> chunks) {
        return String.join("", chunks.stream().map(CompletionChunk::text).toList());
    }

    @Test
    void streamedPiecesAreJoinedWhateverTheBufferBoundaries() throws AttemptFailure {
        String body = delta("Grüß") + delta(" dich 😀") + FINISH + "data: [DONE]\n\n";
        for (int size : new int[] {1, 2, 3, 7, 1000}) {
            List<CompletionChunk> chunks = decode(body, size);
            assertEquals("Grüß dich 😀", text(chunks), "pieces of " + size);
            assertEquals(List.of("Grüß", " dich 😀", "", ""), chunks.stream().map(CompletionChunk::text).toList());
            assertEquals("stop", chunks.get(2).finishReason());
            assertTrue(chunks.get(3).done());
            assertFalse(chunks.get(0).finished());
        }
    }

    @Test
    void commentsOtherFieldsAndCrLfAreAccepted() throws AttemptFailure {
        String body = ": keep-alive\r\n\r\nevent: message\r\nid: 7\r\nretry: 100\r\n" + delta("a").replace("\n", "\r\n")
                + ":\n" + "data:" + delta("b").substring("data: ".length()) + "data: [DONE]\n\n";
        List<CompletionChunk> chunks = decode(body, 5);
        assertEquals("ab", text(chunks));
        assertTrue(chunks.get(chunks.size() - 1).done());
    }

    @Test
    void theLastEventCountsWithoutItsBlankLine() throws AttemptFailure {
        List<CompletionChunk> chunks = decode(delta("x") + "data: [DONE]", 4);
        assertTrue(chunks.get(chunks.size() - 1).done());
    }

    @Test
    void usageChunksAndReasoningCarryNoText() throws AttemptFailure {
        List<CompletionChunk> chunks = decode("data: {\"choices\":[],\"usage\":{\"total_tokens\":3}}\n\n"
                        + "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"hmm\"}}]}\n\n", 100);
        assertEquals(2, chunks.size());
        assertEquals("", text(chunks));
        assertFalse(chunks.get(0).thinking());
        assertTrue(chunks.get(1).thinking());
        assertFalse(chunks.get(1).finished());
    }

    @Test
    void lengthAsFinishReasonMeansTheModelWasCut() throws AttemptFailure {
        List<CompletionChunk> chunks = decode(
                "data: {\"choices\":[{\"delta\":{\"content\":\"ab\"},\"finish_reason\":\"length\"}]}\n\n", 100);
        assertEquals("ab", chunks.get(0).text());
        assertTrue(chunks.get(0).cutByModel());
        assertTrue(chunks.get(0).finished());
    }

    @Test
    void aWholeJsonCompletionIsOneFinishedChunk() throws AttemptFailure {
        String body = "{\"id\":\"x\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hé\"},"
                + "\"finish_reason\":\"stop\"}]}";
        for (String start : new String[] {"", "\n ", "\r\n\r\n"}) {
            List<CompletionChunk> chunks = decode(start + body, 3);
            assertEquals(1, chunks.size());
            assertEquals("Hé", chunks.get(0).text());
            assertTrue(chunks.get(0).finished());
        }
    }

    @Test
    void errorObjectsAreClassified() {
        AttemptFailure limited = assertThrows(AttemptFailure.class, () -> decode(delta("a")
                + "data: {\"error\":{\"message\":\"slow down\",\"type\":\"rate_limit_exceeded\"}}\n\n", 8));
        assertEquals(FailureKind.RATE_LIMITED, limited.kind());
        assertTrue(limited.retryable());

        AttemptFailure refused = assertThrows(AttemptFailure.class, () -> decode(
                "{\"error\":{\"message\":\"too long\",\"type\":\"invalid_request_error\","
                        + "\"code\":\"context_length_exceeded\"}}",
                8));
        assertEquals(FailureKind.REFUSED, refused.kind());
        assertFalse(refused.retryable());
        assertFalse(refused.getMessage().contains("too long"), "the provider's words stay out: " + refused.getMessage());

        AttemptFailure server = assertThrows(AttemptFailure.class, () -> decode(
                "event: error\ndata: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n", 100));
        assertEquals(FailureKind.UNAVAILABLE, server.kind());
        assertTrue(server.retryable());

        AttemptFailure plain = assertThrows(AttemptFailure.class, () -> decode(
                "data: {\"error\":\"something <b>odd</b>\"}\n\n", 100));
        assertEquals(FailureKind.UNAVAILABLE, plain.kind());
        assertTrue(plain.getMessage().contains("unknown"));
    }

    @Test
    void garbageIsRecognised() {
        for (String garbage : new String[] {
                "<html><body>Bad gateway</body></html>\n",
                "Hello\nthis is not an answer\n",
                "data: this is not json\n\n",
                "data: [1,2]\n\n",
                "{\"id\":\"x\",\"choices\":[]}",
                "{\"choices\":[{\"message\":",
        }) {
            AttemptFailure failure = assertThrows(AttemptFailure.class, () -> decode(garbage, 5), garbage);
            assertEquals(FailureKind.GARBAGE, failure.kind(), garbage);
            assertTrue(failure.retryable());
        }
    }

    @Test
    void anOversizeLineOrBodyIsGarbageBeforeItIsHeld() {
        CompletionDecoder decoder = new CompletionDecoder(CAP);
        AttemptFailure line = assertThrows(AttemptFailure.class,
                () -> decoder.feed(ByteBuffer.wrap(("data: " + "x".repeat(CAP)).getBytes(StandardCharsets.UTF_8))));
        assertEquals(FailureKind.GARBAGE, line.kind());

        CompletionDecoder json = new CompletionDecoder(CAP);
        AttemptFailure body = assertThrows(AttemptFailure.class, () -> {
            for (int i = 0; i < 10; i++) {
                json.feed(ByteBuffer.wrap(("{\"a\":\"" + "y".repeat(1000)).getBytes(StandardCharsets.UTF_8)));
            }
        });
        assertEquals(FailureKind.GARBAGE, body.kind());
    }

    @Test
    void anEmptyBodyHasNoEvents() throws AttemptFailure {
        CompletionDecoder decoder = new CompletionDecoder(CAP);
        decoder.feed(ByteBuffer.wrap(": ping\n\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of(), decoder.end());
        assertEquals(0, decoder.events());
    }
}
