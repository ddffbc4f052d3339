package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class MediaNamesTest {

    @Test
    void onlyTheLastPathSegmentIsKept() {
        assertEquals("passwd", MediaNames.clean("../../etc/passwd"));
        assertEquals("boot.ini", MediaNames.clean("..\\..\\windows\\boot.ini"));
        assertEquals("photo.jpg", MediaNames.clean("/home/me/photo.jpg"));
    }

    @Test
    void hiddenAndParentNamesLoseTheirDots() {
        assertEquals("htaccess", MediaNames.clean(".htaccess"));
        assertNull(MediaNames.clean(".."));
        assertNull(MediaNames.clean("a/.."));
    }

    @Test
    void controlAndBidiCharactersAreDropped() {
        assertEquals("invoicegpj.exe", MediaNames.clean("invoice\u202Egpj.exe"));
        assertEquals("ab.txt", MediaNames.clean("a\r\nb\u0000.txt"));
    }

    @Test
    void blankNamesAreNone() {
        assertNull(MediaNames.clean(null));
        assertNull(MediaNames.clean("   "));
        assertNull(MediaNames.clean("dir/"));
    }

    @Test
    void longNamesAreCutWithoutSplittingACharacter() {
        String name = "a".repeat(254) + "😀" + "b";
        String cleaned = MediaNames.clean(name);
        assertEquals(254, cleaned.length(), "the emoji's two halves do not fit: both go");
        assertEquals(MediaNames.MAX_CHARS, MediaNames.clean("x".repeat(1000)).length());
    }

    @Test
    void unicodeNamesStay() {
        assertEquals("Grüße 東京.pdf", MediaNames.clean("Grüße 東京.pdf"));
    }
}
