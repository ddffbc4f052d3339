package io.kchat.gateway.conversations;

import io.kchat.gateway.errors.Refusal;

/** Group titles: 1 to 128 characters after trimming, no control characters. */
final class Titles {

    static final int MAX_LENGTH = 128;

    private Titles() {
    }

    /** @return the trimmed title; @throws Refusal 400 */
    static String require(String title) {
        if (title == null) {
            throw Refusal.invalid("invalid title", "a group needs a title");
        }
        String trimmed = title.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_LENGTH) {
            throw Refusal.invalid("invalid title", "title must be 1 to " + MAX_LENGTH + " characters long");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw Refusal.invalid("invalid title", "title must not contain control characters");
        }
        return trimmed;
    }
}
