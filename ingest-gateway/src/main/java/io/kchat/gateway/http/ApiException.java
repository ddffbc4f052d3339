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
    private final Map<String, Object> extensions;

    public ApiException(int status, ProblemCode code, String title, String detail, Map<String, String> headers) {
        this(status, code, title, detail, headers, null, Map.of());
    }

    private ApiException(int status, ProblemCode code, String title, String detail, Map<String, String> headers,
                         String reason, Map<String, Object> extensions) {
        super(detail == null ? title : title + ": " + detail);
        this.status = status;
        this.code = code;
        this.title = title;
        this.detail = detail;
        this.headers = Map.copyOf(headers);
        this.reason = reason;
        this.extensions = extensions;
    }

    public ApiException(int status, ProblemCode code, String title, String detail) {
        this(status, code, title, detail, Map.of());
    }

    public static ApiException badRequest(String title, String detail) {
        return new ApiException(400, ProblemCode.BAD_REQUEST, title, detail);
    }

    public static ApiException tooLarge(String title) {
        return new ApiException(413, ProblemCode.TOO_LARGE, title, null);
    }

    /** A feature's refusal as the REST API answers it: the status and code of its kind, the same words. */
    public static ApiException of(Refusal refusal) {
        int status = switch (refusal.kind()) {
            case INVALID -> 400;
            case UNAUTHENTICATED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case UNSUPPORTED_TYPE -> 415; // code bad_request: the API's codes are fixed
            case RATE_LIMITED -> 429;
            case UNAVAILABLE -> 503; // the request may succeed later; code internal
        };
        Map<String, String> headers = switch (refusal.kind()) {
            case UNAUTHENTICATED -> Map.of("WWW-Authenticate", "Bearer realm=\"kchat\""); // RFC 6750
            case RATE_LIMITED -> Map.of("Retry-After", Long.toString(refusal.retryAfterSeconds()));
            default -> Map.of();
        };
        return new ApiException(status, ProblemCode.forStatus(status), refusal.title(), refusal.detail(), headers,
                refusal.reason(), refusal.extensions());
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

    /** Members of the problem JSON beyond the standard ones and {@code reason}; empty for most. */
    public Map<String, Object> extensions() {
        return extensions;
    }
}
