package io.kchat.gateway.accounts;

import io.kchat.gateway.errors.Refusal;

/** Display names: 1 to 64 characters after trimming, no control characters. */
public final class DisplayNames {

    public static final int MAX_LENGTH = 64;

    private DisplayNames() {
    }

    /** @return the trimmed name; @throws Refusal 400 */
    public static String require(String displayName) {
        if (displayName == null) {
            throw Refusal.invalid("invalid displayName", "displayName must be a string");
        }
        String trimmed = displayName.strip();
        int length = trimmed.codePointCount(0, trimmed.length());
        if (length < 1 || length > MAX_LENGTH) {
            throw Refusal.invalid("invalid displayName",
                    "displayName must be 1 to " + MAX_LENGTH + " characters long");
        }
        if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
            throw Refusal.invalid("invalid displayName", "displayName must not contain control characters");
        }
        return trimmed;
    }
}
