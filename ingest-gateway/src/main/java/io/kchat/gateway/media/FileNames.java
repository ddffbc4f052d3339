package io.kchat.gateway.media;

/**
 * A client's file name made safe to show and to offer as a download name: the last path component only (a name is
 * never a path: {@code ../../etc/passwd} is {@code passwd}), without control or bidirectional formatting characters
 * (which could hide a file's real extension) nor unpaired surrogates, trimmed, and at most {@link #MAX_CHARS} code
 * points with its extension kept.
 */
public final class FileNames {

    public static final int MAX_CHARS = 255;
    /** An extension longer than this is not worth keeping whole when the name must be cut. */
    private static final int MAX_KEPT_EXTENSION = 16;

    private FileNames() {
    }

    /** @return the safe name, or null when nothing of {@code raw} is left to show */
    public static String sanitise(String raw) {
        if (raw == null) {
            return null;
        }
        String cleaned = withoutHiddenCharacters(raw);
        int slash = Math.max(cleaned.lastIndexOf('/'), cleaned.lastIndexOf('\\'));
        String name = cleaned.substring(slash + 1).strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return null;
        }
        return shortened(name);
    }

    private static String withoutHiddenCharacters(String raw) {
        StringBuilder kept = new StringBuilder(raw.length());
        for (int i = 0; i < raw.length(); ) {
            int codePoint = raw.codePointAt(i);
            i += Character.charCount(codePoint);
            int type = Character.getType(codePoint);
            if (type != Character.CONTROL && type != Character.FORMAT && type != Character.SURROGATE) {
                kept.appendCodePoint(codePoint);
            }
        }
        return kept.toString();
    }

    private static String shortened(String name) {
        int length = name.codePointCount(0, name.length());
        if (length <= MAX_CHARS) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String extension = dot > 0 && name.length() - dot <= MAX_KEPT_EXTENSION ? name.substring(dot) : "";
        int keep = MAX_CHARS - extension.codePointCount(0, extension.length());
        String stem = name.substring(0, name.offsetByCodePoints(0, keep));
        return stem + extension;
    }
}
