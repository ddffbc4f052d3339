package io.kchat.gateway.accounts;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UsernamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"abc", "Alice", "bob_smith", "a.b-c", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "007"})
    void accepts3To32LettersDigitsAndDotUnderscoreDash(String username) {
        assertTrue(Usernames.isValid(username));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "ab", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "with space", "ünïcode", "semi;colon", "a@b", "tab\tx"})
    void refusesAnythingElse(String username) {
        assertFalse(Usernames.isValid(username));
        assertEquals(400, refused(() -> Usernames.require(username)).status());
    }

    @Test
    void displayNamesAreTrimmedAndBounded() {
        assertEquals("Alice Liddell", DisplayNames.require("  Alice Liddell "));
        assertEquals(400, refused(() -> DisplayNames.require("   ")).status());
        assertEquals(400, refused(() -> DisplayNames.require("x".repeat(65))).status());
        assertEquals(400, refused(() -> DisplayNames.require("bell\u0007")).status());
    }

    @Test
    void likePatternsAreEscaped() {
        assertEquals("50\\%\\_off\\\\", UserStore.likeEscape("50%_off\\"));
    }
}
