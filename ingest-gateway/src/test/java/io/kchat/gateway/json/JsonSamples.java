package io.kchat.gateway.json;

/** JSON documents that meet exactly one read limit of {@link Json}, for the tests of every edge. */
public final class JsonSamples {

    private JsonSamples() {
    }

    /** Arrays nested {@code depth} deep. */
    public static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    /** An object with one string of {@code chars} characters. */
    public static String string(int chars) {
        return "{\"s\":\"" + "x".repeat(chars) + "\"}";
    }

    /** An object with one integer of {@code digits} digits. */
    public static String number(int digits) {
        return "{\"n\":" + "9".repeat(digits) + "}";
    }

    /** An object with one property whose name has {@code chars} characters. */
    public static String name(int chars) {
        return "{\"" + "k".repeat(chars) + "\":1}";
    }

    /** An array of short strings, at least {@code length} characters long, none near the string limit. */
    public static String document(long length) {
        StringBuilder json = new StringBuilder("[");
        String item = "\"" + "d".repeat(1000) + "\"";
        while (json.length() + item.length() + 2 <= length) {
            json.append(item).append(',');
        }
        json.append('"').append("d".repeat((int) Math.max(0, length - json.length() - 3))).append("\"]");
        return json.toString();
    }
}
