package io.kchat.assistant.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class AnswerTextTest {

    @Test
    void cutsInCodePointsWithoutSplittingAPair() {
        AnswerText text = new AnswerText(4);
        assertEquals("ab", text.add("ab"));
        assertFalse(text.full());
        assertEquals("😀😀", text.add("😀😀😀"));
        assertTrue(text.full());
        assertEquals("ab😀😀", text.text());
        assertEquals(4, text.text().codePointCount(0, text.text().length()));
    }

    @Test
    void anAnswerExactlyAsLongAsTheCapIsNotCut() {
        AnswerText text = new AnswerText(3);
        assertTrue(text.isEmpty());
        assertEquals("abc", text.add("abc"));
        assertFalse(text.full());
        assertEquals("", text.add("d"));
        assertTrue(text.full());
        assertEquals("abc", text.text());
    }
}
