package io.kchat.local;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A plaintext to look for, in every form a store might keep its UTF-8 bytes in: the bytes themselves, JSON-escaped,
 * hex (how PostgreSQL renders bytea) and base64 / base64url at each of the three byte alignments (the characters
 * that depend on the needle's bytes only, so that it is found inside a longer encoded value too).
 */
final class Needle {

    /** One occurrence: which form, where in the haystack, and a printable excerpt around it. */
    record Match(String form, int offset, String excerpt) {
    }

    /** Shorter needles would be found by chance in hex and base64 text. */
    static final int MIN_BYTES = 8;
    private static final int EXCERPT = 40;
    private final String text;
    private final Map<String, String> forms; // form name -> its bytes as ISO-8859-1 (one char per byte)

    private Needle(String text, Map<String, String> forms) {
        this.text = text;
        this.forms = forms;
    }

    static Needle of(String text) {
        byte[] utf8 = text.getBytes(UTF_8);
        if (utf8.length < MIN_BYTES) {
            throw new IllegalArgumentException("a needle needs at least " + MIN_BYTES + " bytes: " + text);
        }
        Map<String, String> forms = new LinkedHashMap<>();
        forms.put("utf-8", new String(utf8, ISO_8859_1));
        String json = jsonEscaped(text);
        if (!json.equals(text)) {
            forms.put("json-escaped", new String(json.getBytes(UTF_8), ISO_8859_1));
        }
        String hex = HexFormat.of().formatHex(utf8);
        forms.put("hex", hex);
        forms.put("HEX", hex.toUpperCase(Locale.ROOT));
        for (int shift = 0; shift < 3; shift++) {
            String base64 = base64Core(Base64.getEncoder(), utf8, shift);
            forms.put("base64+" + shift, base64);
            String url = base64Core(Base64.getUrlEncoder(), utf8, shift);
            if (!url.equals(base64)) {
                forms.put("base64url+" + shift, url);
            }
        }
        return new Needle(text, forms);
    }

    String text() {
        return text;
    }

    /** The first occurrence of each form in {@code haystack}. */
    List<Match> in(byte[] haystack) {
        String bytes = new String(haystack, ISO_8859_1);
        List<Match> matches = new ArrayList<>();
        forms.forEach((name, form) -> {
            int at = bytes.indexOf(form);
            if (at >= 0) {
                matches.add(new Match(name, at, excerpt(haystack, at, form.length())));
            }
        });
        return matches;
    }

    List<Match> in(String haystack) {
        return in(haystack.getBytes(UTF_8));
    }

    /**
     * The needle as base64 after {@code shift} bytes of something else: only the characters made of its bits alone
     * (character j holds bits 6j to 6j+5).
     */
    private static String base64Core(Base64.Encoder encoder, byte[] utf8, int shift) {
        byte[] shifted = new byte[shift + utf8.length];
        System.arraycopy(utf8, 0, shifted, shift, utf8.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int from = (8 * shift + 5) / 6;
        int to = 8 * shifted.length / 6;
        return encoded.substring(from, to);
    }

    private static String jsonEscaped(String text) {
        try {
            String quoted = new ObjectMapper().writeValueAsString(text);
            return quoted.substring(1, quoted.length() - 1);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String excerpt(byte[] haystack, int at, int length) {
        int from = Math.max(0, at - EXCERPT);
        int to = Math.min(haystack.length, at + length + EXCERPT);
        String text = new String(haystack, from, to - from, UTF_8).replaceAll("[\\p{Cntrl}\\x{FFFD}]", "·");
        return (from > 0 ? "…" : "") + text + (to < haystack.length ? "…" : "");
    }

    @Override
    public String toString() {
        return text + " as " + forms.keySet();
    }
}
