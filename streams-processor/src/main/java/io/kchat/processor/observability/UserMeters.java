package io.kchat.processor.observability;

import io.kchat.processor.user.UserMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The user side's counts as Micrometer counters: {@value #REPEATS_DROPPED}
 * ({@code kchat_processor_user_repeats_dropped_total}). Thread-safe: every stream thread counts here.
 */
public final class UserMeters implements UserMetrics {

    public static final String REPEATS_DROPPED = "kchat.processor.user.repeats.dropped";

    private final Counter repeatsDropped;

    public UserMeters(MeterRegistry registry) {
        this.repeatsDropped = Counter.builder(REPEATS_DROPPED)
                .description("conversation-side records dropped as repeats of ones already applied (after aborts)")
                .register(registry);
    }

    @Override
    public void repeatDropped() {
        repeatsDropped.increment();
    }
}
