package io.kchat.gateway.http;

/**
 * RFC 9457 problem details as sent on the wire; {@code detail} is omitted when null. The {@code type}
 * is a relative URI per code (not about:blank, whose title must be the bare status phrase).
 */
public record Problem(String type, String title, int status, String code, String detail) {

    public static Problem of(int status, ProblemCode code, String title, String detail) {
        return new Problem("/problems/" + code.wireName(), title, status, code.wireName(), detail);
    }
}
