package io.kchat.gateway.accounts;

import io.kchat.gateway.errors.Refusal;
import java.util.regex.Pattern;

/** Usernames: 3 to 32 of [a-zA-Z0-9_.-], unique regardless of case (kept as typed). */
public final class Usernames {

    private static final Pattern VALID = Pattern.compile("[a-zA-Z0-9_.-]{3,32}");

    private Usernames() {
    }

    public static boolean isValid(String username) {
        return username != null && VALID.matcher(username).matches();
    }

    /** @throws Refusal 400 naming the rule */
    public static String require(String username) {
        if (username == null) {
            throw Refusal.invalid("invalid username", "username is required");
        }
        if (!isValid(username)) {
            throw Refusal.invalid("invalid username",
                    "username must be 3 to 32 characters of letters, digits, '_', '.' or '-'");
        }
        return username;
    }
}
