package io.kchat.processor.observability;

import io.kchat.processor.user.SessionCheckOutcome;
import io.kchat.processor.user.UserMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/**
 * The user side's counts as Micrometer counters (Prometheus names in brackets): {@value #REPEATS_DROPPED}
 * ({@code kchat_processor_user_repeats_dropped_total}), {@value #SESSION_CHECKS} by {@code outcome}
 * ({@code kchat_processor_session_checks_total}) and {@value #ROUTES_DROPPED}
 * ({@code kchat_processor_user_routes_dropped_total}). Thread-safe: every stream thread counts here.
 */
public final class UserMeters implements UserMetrics {

    public static final String REPEATS_DROPPED = "kchat.processor.user.repeats.dropped";
    public static final String SESSION_CHECKS = "kchat.processor.session.checks";
    public static final String ROUTES_DROPPED = "kchat.processor.user.routes.dropped";

    private final Counter repeatsDropped;
    private final Counter routesDropped;
    private final Map<SessionCheckOutcome, Counter> sessionChecks = new EnumMap<>(SessionCheckOutcome.class);

    public UserMeters(MeterRegistry registry) {
        this.repeatsDropped = Counter.builder(REPEATS_DROPPED)
                .description("conversation-side records dropped as repeats of ones already applied (after aborts)")
                .register(registry);
        this.routesDropped = Counter.builder(ROUTES_DROPPED)
                .description("items for a gateway node's sessions not written: the node has no egress topic (gone)")
                .register(registry);
        // Every outcome registered up front (at 0), so a rate over the healing ones exists before the first heal.
        // Filled here and only read afterwards: safe to share between threads.
        for (SessionCheckOutcome outcome : SessionCheckOutcome.values()) {
            sessionChecks.put(outcome, Counter.builder(SESSION_CHECKS)
                    .description("gateways' checks of their sessions, by what the user side made of them")
                    .tag("outcome", outcome.tag())
                    .register(registry));
        }
    }

    @Override
    public void repeatDropped() {
        repeatsDropped.increment();
    }

    @Override
    public void sessionChecked(SessionCheckOutcome outcome) {
        sessionChecks.get(outcome).increment();
    }

    @Override
    public void routeDropped() {
        routesDropped.increment();
    }
}
