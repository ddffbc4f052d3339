package io.kchat.gateway.auth.passwords;

import io.kchat.gateway.errors.Refusal;

/**
 * NIST SP 800-63B style: 8 to 128 characters (code points, so any script counts alike), no composition rules,
 * and not one of the commonly used passwords of the {@link PasswordDenylist}. 128 leaves room for passphrases
 * while bounding the work one Argon2 hash is asked to do.
 */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private final PasswordDenylist denylist;

    public PasswordPolicy(PasswordDenylist denylist) {
        this.denylist = denylist;
    }

    /** @throws Refusal 400 when the password is missing, too short, too long or too common */
    public String require(String password, String field) {
        if (password == null) {
            throw Refusal.invalid("weak password", field + " is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw Refusal.invalid("weak password",
                    field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        if (denylist.contains(password)) {
            throw Refusal.invalid("weak password",
                    field + " is one of the most commonly used passwords; choose another");
        }
        return password;
    }
}
