package io.kchat.processor.user;

/**
 * Numbers inside state store keys, zero-padded to the digits of Long.MAX_VALUE so that keys sort as the numbers do
 * (RocksDB compares bytes): the user log's userSeq ({@link UserLog}) and the held frontiers' due time
 * ({@link DeliveredWave}). The layout is persisted in stores and changelogs.
 */
final class SortableKeys {

    static final int DIGITS = 19;

    private SortableKeys() {
    }

    /** Appends {@code number}, not negative, zero-padded to {@link #DIGITS} digits. */
    static StringBuilder appendPadded(StringBuilder key, long number) {
        if (number < 0) {
            throw new IllegalArgumentException("a key's number must not be negative: " + number);
        }
        String digits = Long.toString(number);
        return key.repeat('0', DIGITS - digits.length()).append(digits);
    }
}
