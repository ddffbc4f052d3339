package io.kchat.gateway.http;

import io.kchat.gateway.errors.Refusal;
import java.util.Map;

/**
 * A request the REST edge refuses, with what the client is told: thrown by the edge itself (bodies, filters, the
 * request gate) and made from a feature's {@link Refusal} ({@link #of}); turned into problem JSON in one place
 * ({@link ProblemHandlers}). The {@code code} is one of the fixed
 * API codes; {@code reason}, when set, is a finer machine-readable cause within it (e.g.
 * {@code too_many_devices} within {@code conflict}).
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final ProblemCode code;
    private final String title;
    private final String detail;
    private final Map<String, String> headers;
    private final String reason;

    public ApiException(int status, ProblemCode code, String title, String detail, Map<String, String> headers) {
        this(status, code, title, detail, headers, null);
    }

    private ApiException(int status, ProblemCode code, String title, String detail, Map<String, String> headers,
                         String reason) {
        super(detail == null ? title : title + ": " + detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.headers = Map.copyOf(headers);
        this.reason = reason;
    }

    public ApiException(int status, ProblemCode code, String title, String detail) {
        this(status, code, title, detail, Map.of());
    }

    public static ApiException badRequest(String title, String detail) {
        return new ApiException(400, ProblemCode.BAD_REQUEST, title, detail);
    }

    /** Always with {@code WWW-Authenticate: Bearer} (RFC 6750). */
    public static ApiException unauthorized(String title) {
        return new ApiException(401, ProblemCode.UNAUTHORIZED, title, null,
                Map.of("WWW-Authenticate", "Bearer realm=\"kchat\""));
    }

    /** The caller may see the resource but not do this (a plain member managing a group). */
    public static ApiException forbidden(String title, String detail) {
        return new ApiException(403, ProblemCode.FORBIDDEN, title, detail);
    }

    public static ApiException notFound(String title) {
        return new ApiException(404, ProblemCode.NOT_FOUND, title, null);
    }

    public static ApiException conflict(String title, String detail) {
        return new ApiException(409, ProblemCode.CONFLICT, title, detail);
    }

    public static ApiException tooLarge(String title) {
        return new ApiException(413, ProblemCode.TOO_LARGE, title, null);
    }

    /** The request may succeed later (a dependency is down); 503 with code {@code internal}. */
    public static ApiException unavailable(String title) {
        return new ApiException(503, ProblemCode.INTERNAL, title, null);
    }

    /** A feature's refusal as the REST API answers it: the status and code of its kind, the same words. */
    public static ApiException of(Refusal refusal) {
        ApiException mapped = switch (refusal.kind()) {
            case INVALID -> badRequest(refusal.title(), refusal.detail());
            case UNAUTHENTICATED -> unauthorized(refusal.title());
            case FORBIDDEN -> forbidden(refusal.title(), refusal.detail());
            case NOT_FOUND -> new ApiException(404, ProblemCode.NOT_FOUND, refusal.title(), refusal.detail());
            case CONFLICT -> conflict(refusal.title(), refusal.detail());
            case TOO_LARGE -> new ApiException(413, ProblemCode.TOO_LARGE, refusal.title(), refusal.detail());
            case RATE_LIMITED -> new ApiException(429, ProblemCode.RATE_LIMITED, refusal.title(), refusal.detail(),
                    Map.of("Retry-After", Long.toString(refusal.retryAfterSeconds())));
            case UNAVAILABLE -> new ApiException(503, ProblemCode.INTERNAL, refusal.title(), refusal.detail());
        };
        return refusal.reason() == null ? mapped : mapped.withReason(refusal.reason());
    }

    /** The same refusal with a finer machine-readable {@code reason} ({@code snake_case}). */
    public ApiException withReason(String value) {
        return new ApiException(status, code, title, detail, headers, value);
    }

    public int status() {
        return status;
    }

    public ProblemCode code() {
        return code;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public String reason() {
        return reason;
    }
}
