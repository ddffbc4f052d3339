package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FileNamesTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "holiday.jpg|holiday.jpg",
            "../../etc/passwd|passwd",
            "C:\\Users\\ann\\Desktop\\report.pdf|report.pdf",
            "dir/sub\\mixed.txt|mixed.txt",
            "  spaced name.png  |spaced name.png",
            "caf\u00e9 \uD83D\uDCF7.webp|caf\u00e9 \uD83D\uDCF7.webp"})
    void keepsTheLastPathComponentOnly(String raw, String expected) {
        assertEquals(expected, FileNames.sanitise(raw));
    }

    @Test
    void dropsControlAndBidiCharactersThatCouldHideTheRealExtension() {
        assertEquals("invoicegpj.exe", FileNames.sanitise("invoice\u202Egpj.exe"));
        assertEquals("a b.txt", FileNames.sanitise("a\u0000 b\n.txt\r"));
        assertEquals("ab.txt", FileNames.sanitise("a\uD800b.txt"), "an unpaired surrogate is not text");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "..", ".", "../", "dir/", "\u0001\u0002", "a/..", "/"})
    void nothingLeftIsNoName(String raw) {
        assertNull(FileNames.sanitise(raw));
    }

    @Test
    void aLongNameIsCutTo255CodePointsKeepingItsExtension() {
        String cut = FileNames.sanitise("x".repeat(300) + ".tar.gz");

        assertEquals(FileNames.MAX_CHARS, cut.codePointCount(0, cut.length()));
        assertEquals("x".repeat(252) + ".gz", cut);
        String emoji = FileNames.sanitise("\uD83D\uDE00".repeat(260));
        assertEquals(FileNames.MAX_CHARS, emoji.codePointCount(0, emoji.length()), "cut by code points, never mid-pair");
        assertEquals("y".repeat(255), FileNames.sanitise("y".repeat(255)));
    }
}
