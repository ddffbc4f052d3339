package io.kchat.observability;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One answer of {@link Health}: whether the service is up for the question asked (alive, or ready), the phase of
 * its life, why it is down when the phase alone says so ({@code starting}, {@code draining}, a fatal error), and
 * what each check found, in the order they were added.
 */
public record HealthReport(boolean up, Health.Phase phase, String reason, Map<String, CheckResult> checks) {

    public HealthReport {
        checks = Collections.unmodifiableMap(new LinkedHashMap<>(checks));
    }

    public String status() {
        return up ? "UP" : "DOWN";
    }
}
