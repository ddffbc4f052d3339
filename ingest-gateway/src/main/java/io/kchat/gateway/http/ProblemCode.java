package io.kchat.gateway.http;

import java.util.Locale;

/** The machine-readable {@code code} of every problem answer (docs/api.md); clients switch on it, never on titles. */
public enum ProblemCode {
    BAD_REQUEST,
    UNAUTHORIZED,
    FORBIDDEN,
    NOT_FOUND,
    CONFLICT,
    TOO_LARGE,
    RATE_LIMITED,
    INTERNAL;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** For statuses raised by the web server itself (unknown path, wrong method, payload too large...). */
    public static ProblemCode forStatus(int status) {
        return switch (status) {
            case 401 -> UNAUTHORIZED;
            case 403 -> FORBIDDEN;
            case 404 -> NOT_FOUND;
            case 409 -> CONFLICT;
            case 413 -> TOO_LARGE;
            case 429 -> RATE_LIMITED;
            default -> status >= 500 ? INTERNAL : BAD_REQUEST;
        };
    }
}
