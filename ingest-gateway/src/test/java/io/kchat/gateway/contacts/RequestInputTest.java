package io.kchat.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.errors.Refusal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class RequestInputTest {

    @Test
    void aMessageUpToTheBoundIsKeptAsWritten() {
        String longest = "é".repeat(RequestInput.MAX_MESSAGE_CHARS);
        assertEquals(longest, RequestInput.message(longest));
        assertEquals(" hi ", RequestInput.message(" hi "));
    }

    @Test
    void theBoundCountsCodePointsNotUtf16Units() {
        String emoji = "\uD83D\uDE00"; // one code point, two chars
        assertEquals(emoji.repeat(RequestInput.MAX_MESSAGE_CHARS),
                RequestInput.message(emoji.repeat(RequestInput.MAX_MESSAGE_CHARS)));
        assertInvalid(() -> RequestInput.message(emoji.repeat(RequestInput.MAX_MESSAGE_CHARS + 1)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "\n\t"})
    void aBlankMessageIsNone(String message) {
        assertNull(RequestInput.message(message));
    }

    @Test
    void aMessageOverTheBoundIsRefused() {
        assertInvalid(() -> RequestInput.message("x".repeat(RequestInput.MAX_MESSAGE_CHARS + 1)));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"incoming"})
    void incomingIsTheDefault(String direction) {
        assertTrue(RequestInput.incoming(direction));
    }

    @Test
    void outgoingAndNothingElse() {
        assertFalse(RequestInput.incoming("outgoing"));
        assertInvalid(() -> RequestInput.incoming("Outgoing"));
        assertInvalid(() -> RequestInput.incoming("both"));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" "})
    void aUserIdIsRequired(String userId) {
        assertInvalid(() -> RequestInput.userId(userId));
    }

    @Test
    void aUserIdHasABoundedLength() {
        String longest = "u".repeat(RequestInput.MAX_ID_LENGTH);
        assertEquals(longest, RequestInput.userId(longest));
        assertInvalid(() -> RequestInput.userId(longest + "u"));
    }

    @Test
    void oneselfIsRefused() {
        assertInvalid(() -> RequestInput.requireOther("u1", "u1", "block"));
        RequestInput.requireOther("u1", "u2", "block");
    }

    private static void assertInvalid(Runnable call) {
        Refusal refusal = assertThrows(Refusal.class, call::run);
        assertEquals(Refusal.Kind.INVALID, refusal.kind());
    }
}
