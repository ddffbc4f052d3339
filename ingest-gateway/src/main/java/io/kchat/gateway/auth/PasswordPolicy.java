package io.kchat.gateway.auth;

import io.kchat.gateway.http.ApiException;

/** NIST SP 800-63B style: length only, no composition rules. */
public final class PasswordPolicy {

    public static final int MIN_LENGTH = 8;
    public static final int MAX_LENGTH = 128;

    private PasswordPolicy() {
    }

    /** @throws ApiException 400 when the password is missing, too short or too long */
    public static String require(String password, String field) {
        if (password == null) {
            throw ApiException.badRequest("weak password", field + " is required");
        }
        int length = password.codePointCount(0, password.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            throw ApiException.badRequest("weak password",
                    field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
        }
        return password;
    }
}
