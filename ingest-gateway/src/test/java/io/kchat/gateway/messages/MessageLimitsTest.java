package io.kchat.gateway.messages;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MessageLimitsTest {

    @Test
    void bodiesAreCountedInCodePointsLikeTheWebSocketSend() {
        String fourEmoji = "\uD83D\uDE00".repeat(4); // 4 code points, 8 UTF-16 units

        assertEquals(fourEmoji, MessageLimits.requireBody(fourEmoji, 4));
        refused(() -> MessageLimits.requireBody(fourEmoji + "x", 4));
    }

    @Test
    void emptyOrMissingIsRefusedButWhitespaceIsContent() {
        assertEquals(" ", MessageLimits.requireBody(" ", 10));
        assertEquals(400, refused(() -> MessageLimits.requireBody("", 10)).status());
        assertEquals(400, refused(() -> MessageLimits.requireId(null)).status());
        refused(() -> MessageLimits.requireId("x".repeat(MessageLimits.MAX_ID_CHARS + 1)));
        assertEquals(128, MessageLimits.requireId("x".repeat(MessageLimits.MAX_ID_CHARS)).length());
    }

    @Test
    void theNulCharacterIsRefusedBecauseTheArchiveCouldNotStoreIt() {
        assertEquals(400, refused(() -> MessageLimits.requireBody("a\u0000b", 10)).status());
        assertEquals("body must not contain the NUL character", MessageLimits.violation("\u0000", "body", 10));
    }

    @Test
    void halfASurrogatePairIsRefusedOnTheHttpPathAsOnTheSocket() {
        assertEquals("body must be valid Unicode (no unpaired surrogate)", MessageLimits.violation("a\uD83D", "body", 10));
        assertEquals(null, MessageLimits.violation("a\uD83D\uDE00", "body", 10));
    }
}
