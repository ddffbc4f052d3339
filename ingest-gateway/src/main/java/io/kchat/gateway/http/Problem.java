package io.kchat.gateway.http;

/**
 * RFC 9457 problem details as sent on the wire; {@code detail} and {@code reason} are omitted when null. The
 * {@code type} is a relative URI per code (not about:blank, whose title must be the bare status phrase).
 * {@code reason} is an extension member: a finer machine-readable cause within {@code code}, e.g.
 * {@code too_many_devices}.
 */
public record Problem(String type, String title, int status, String code, String detail, String reason) {

    public static Problem of(int status, ProblemCode code, String title, String detail) {
        return of(status, code, title, detail, null);
    }

    public static Problem of(int status, ProblemCode code, String title, String detail, String reason) {
        return new Problem("/problems/" + code.wireName(), title, status, code.wireName(), detail, reason);
    }
}
