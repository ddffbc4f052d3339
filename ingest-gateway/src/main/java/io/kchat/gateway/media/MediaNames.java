package io.kchat.gateway.media;

import java.text.Normalizer;

/**
 * A file name as a person gave it, made harmless to show and to put in a {@code Content-Disposition}: only its last
 * path segment, no control or bidi-override characters, at most {@link #MAX_CHARS}. Names never reach the store's
 * keys ({@link MediaKeys}); this is about what other people see.
 */
public final class MediaNames {

    public static final int MAX_CHARS = 255;

    private MediaNames() {
    }

    /** Null for a name that is absent or nothing once cleaned. */
    public static String clean(String raw) {
        if (raw == null) {
            return null;
        }
        String name = Normalizer.normalize(raw, Normalizer.Form.NFC);
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1);
        StringBuilder out = new StringBuilder(name.length());
        name.codePoints()
                .filter(c -> !Character.isISOControl(c) && !isFormatting(c))
                .forEach(out::appendCodePoint);
        String cleaned = out.toString().strip();
        while (cleaned.startsWith(".")) { // "..", ".htaccess": no hidden or parent names
            cleaned = cleaned.substring(1);
        }
        if (cleaned.isEmpty()) {
            return null;
        }
        return cleaned.length() <= MAX_CHARS ? cleaned : cleaned.substring(0, cutPoint(cleaned));
    }

    /** Bidi overrides and other invisible format characters make "gpj.exe" look like "exe.jpg". */
    private static boolean isFormatting(int c) {
        return Character.getType(c) == Character.FORMAT;
    }

    private static int cutPoint(String s) {
        int end = MAX_CHARS;
        return Character.isHighSurrogate(s.charAt(end - 1)) ? end - 1 : end;
    }
}
