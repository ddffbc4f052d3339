package io.kchat.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NeedleTest {

    private static final String NEEDLE = "needle ünïcode \"quoted\"";

    private static List<String> forms(Needle needle, byte[] haystack) {
        return needle.in(haystack).stream().map(Needle.Match::form).toList();
    }

    /** Whatever comes before it, the needle's own base64 characters are found inside a longer encoded value. */
    @ParameterizedTest
    @ValueSource(ints = {0, 1, 2, 3, 4, 5})
    void foundInsideLongerBase64AtEveryAlignment(int before) {
        byte[] utf8 = NEEDLE.getBytes(UTF_8);
        byte[] value = new byte[before + utf8.length + 7];
        System.arraycopy(utf8, 0, value, before, utf8.length);
        Needle needle = Needle.of(NEEDLE);
        assertEquals(List.of("base64+" + before % 3),
                forms(needle, Base64.getEncoder().encode(value)));
        // base64url differs from base64 only where the encoding has + or /: then it is a form of its own
        List<String> url = forms(needle, Base64.getUrlEncoder().encode(value));
        assertEquals(1, url.size(), url.toString());
        assertTrue(url.getFirst().matches("base64(url)?\\+" + before % 3), url.toString());
    }

    @Test
    void foundAsBytesHexAndJson() {
        Needle needle = Needle.of(NEEDLE);
        String hex = HexFormat.of().formatHex(("x" + NEEDLE + "y").getBytes(UTF_8));
        assertEquals(List.of("hex"), forms(needle, ("\\x" + hex).getBytes(UTF_8)));
        assertEquals(List.of("HEX"), forms(needle, hex.toUpperCase().getBytes(UTF_8)));
        assertEquals(List.of("json-escaped"), forms(needle, "{\"b\":\"needle ünïcode \\\"quoted\\\"\"}".getBytes(UTF_8)));
        Needle.Match raw = needle.in(("12345" + NEEDLE + "\u0000tail").getBytes(UTF_8)).getFirst();
        assertEquals("utf-8", raw.form());
        assertEquals(5, raw.offset());
        assertEquals("12345" + NEEDLE + "·tail", raw.excerpt());
    }

    @Test
    void notFoundWhenOneByteDiffers() {
        Needle needle = Needle.of(NEEDLE);
        String other = NEEDLE.replace('q', 'Q');
        byte[] bytes = other.getBytes(UTF_8);
        assertEquals(List.of(), forms(needle, bytes));
        assertEquals(List.of(), forms(needle, Base64.getEncoder().encode(bytes)));
        assertEquals(List.of(), forms(needle, HexFormat.of().formatHex(bytes).getBytes(UTF_8)));
    }

    @Test
    void tooShortANeedleIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Needle.of("short"));
    }
}
