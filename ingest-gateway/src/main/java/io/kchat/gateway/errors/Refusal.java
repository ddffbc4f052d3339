package io.kchat.gateway.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A feature refusing what it was asked, in its own terms: what kind of refusal, a short title, an optional detail and
 * a finer machine-readable {@code reason}. No HTTP status and no frame code: each edge maps it once (problem JSON in
 * {@code http.ProblemHandlers}), so the features stay free of the transports they are reached through.
 */
public final class Refusal extends RuntimeException {

    /** What went wrong, as a client has to act on it. */
    public enum Kind {
        /** the request itself is wrong: a field missing, malformed or out of range */
        INVALID,
        /** no valid credentials, or credentials that do not match */
        UNAUTHENTICATED,
        /** the caller may see the thing but not do this to it */
        FORBIDDEN,
        /** no such thing, or none the caller may know of */
        NOT_FOUND,
        /** the thing's current state does not allow it (a name taken, too many devices, a full group) */
        CONFLICT,
        /** more than a limit allows */
        TOO_LARGE,
        /** content of a type the feature does not take (an upload whose bytes are no allowed media type) */
        UNSUPPORTED_TYPE,
        /** too often: try again after {@link #retryAfterSeconds()} */
        RATE_LIMITED,
        /** a dependency (Kafka, the SMS provider) did not answer: the same request may pass later */
        UNAVAILABLE
    }

    private final Kind kind;
    private final String title;
    private final String detail;
    private final String reason;
    private final long retryAfterSeconds;
    private final Map<String, Object> extensions;

    private Refusal(Kind kind, String title, String detail, String reason, long retryAfterSeconds,
                    Map<String, Object> extensions) {
        super(detail == null ? title : title + ": " + detail);
        this.kind = Objects.requireNonNull(kind, "kind");
        this.title = Objects.requireNonNull(title, "title");
        this.detail = detail;
        this.reason = reason;
        this.retryAfterSeconds = retryAfterSeconds;
        this.extensions = extensions;
    }

    public static Refusal invalid(String title, String detail) {
        return new Refusal(Kind.INVALID, title, detail, null, 0, Map.of());
    }

    public static Refusal unauthenticated(String title) {
        return new Refusal(Kind.UNAUTHENTICATED, title, null, null, 0, Map.of());
    }

    public static Refusal forbidden(String title, String detail) {
        return new Refusal(Kind.FORBIDDEN, title, detail, null, 0, Map.of());
    }

    public static Refusal notFound(String title) {
        return new Refusal(Kind.NOT_FOUND, title, null, null, 0, Map.of());
    }

    public static Refusal notFound(String title, String detail) {
        return new Refusal(Kind.NOT_FOUND, title, detail, null, 0, Map.of());
    }

    public static Refusal conflict(String title, String detail) {
        return new Refusal(Kind.CONFLICT, title, detail, null, 0, Map.of());
    }

    public static Refusal tooLarge(String title) {
        return new Refusal(Kind.TOO_LARGE, title, null, null, 0, Map.of());
    }

    public static Refusal unsupportedType(String title, String detail) {
        return new Refusal(Kind.UNSUPPORTED_TYPE, title, detail, null, 0, Map.of());
    }

    public static Refusal rateLimited(String title, String detail, long retryAfterSeconds) {
        if (retryAfterSeconds < 1) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 1: " + retryAfterSeconds);
        }
        return new Refusal(Kind.RATE_LIMITED, title, detail, null, retryAfterSeconds, Map.of());
    }

    public static Refusal unavailable(String title) {
        return new Refusal(Kind.UNAVAILABLE, title, null, null, 0, Map.of());
    }

    /** The same refusal with a finer machine-readable {@code reason} ({@code snake_case}). */
    public Refusal withReason(String value) {
        return new Refusal(kind, title, detail, value, retryAfterSeconds, extensions);
    }

    /**
     * The same refusal with one more member of data the client acts on (e.g. the devices a send left out), named in
     * the API's words; each edge shows it beside the code (a problem JSON member, an error frame field).
     */
    public Refusal withExtension(String name, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(name, value);
        return new Refusal(kind, title, detail, reason, retryAfterSeconds, Collections.unmodifiableMap(more));
    }

    /** In the order added; empty for most refusals. */
    public Map<String, Object> extensions() {
        return extensions;
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    /** Null when the title says it all. */
    public String detail() {
        return detail;
    }

    /** Null when the kind says it all. */
    public String reason() {
        return reason;
    }

    /** Positive for {@link Kind#RATE_LIMITED}, 0 otherwise. */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
