package io.kchat.observability;

/**
 * What one health check found: healthy or not, with a short detail an operator can act on (a broker count, the
 * Streams state, why a connection failed). The detail may be {@code null}.
 */
public record CheckResult(boolean up, String detail) {

    public static CheckResult healthy() {
        return new CheckResult(true, null);
    }

    public static CheckResult healthy(String detail) {
        return new CheckResult(true, detail);
    }

    public static CheckResult unhealthy(String detail) {
        return new CheckResult(false, detail);
    }
}
