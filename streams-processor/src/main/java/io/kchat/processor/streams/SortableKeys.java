package io.kchat.processor.streams;

/**
 * Numbers inside state store keys, zero-padded to the digits of Long.MAX_VALUE so that keys sort as the numbers do
 * (RocksDB compares bytes): the user log's userSeq and the due times of a {@link DueIndex}. The layout is persisted in
 * stores and changelogs.
 */
public final class SortableKeys {

    public static final int DIGITS = 19;

    private SortableKeys() {
    }

    /** Appends {@code number}, not negative, zero-padded to {@link #DIGITS} digits. */
    public static StringBuilder appendPadded(StringBuilder key, long number) {
        if (number < 0) {
            throw new IllegalArgumentException("a key's number must not be negative: " + number);
        }
        String digits = Long.toString(number);
        return key.repeat('0', DIGITS - digits.length()).append(digits);
    }
}
