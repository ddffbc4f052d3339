package io.kchat.delivery.push;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The push sender's meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@value #SENT} by {@code kind} ({@code webpush}, {@code gateway}): pushes a push service accepted
 *       ({@code kchat_delivery_push_sent_total});</li>
 *   <li>{@value #FAILED} by {@code reason} ({@code gone}, {@code refused}, {@code retries_exhausted})
 *       ({@code kchat_delivery_push_failed_total});</li>
 *   <li>{@value #SKIPPED} by {@code reason} ({@code muted}, {@code rate_limited})
 *       ({@code kchat_delivery_push_skipped_total});</li>
 *   <li>{@value #REMOVED}: subscriptions removed because the push service said they are gone
 *       ({@code kchat_delivery_push_subscriptions_removed_total});</li>
 *   <li>{@value #LATENCY}: from the message's ingest ({@code PushDue.sentAt}) to the push service's acceptance, as a
 *       histogram ({@code kchat_delivery_push_latency_seconds_bucket}): the grace period, the processor and the push
 *       service together.</li>
 * </ul>
 * Every tag value starts at zero, so that an alert on failures sees a rate from the start.
 */
public final class PushMetrics {

    static final String SENT = "kchat.delivery.push.sent";
    static final String FAILED = "kchat.delivery.push.failed";
    static final String SKIPPED = "kchat.delivery.push.skipped";
    static final String REMOVED = "kchat.delivery.push.subscriptions.removed";
    static final String LATENCY = "kchat.delivery.push.latency";

    static final String GONE = "gone";
    static final String REFUSED = "refused";
    static final String RETRIES_EXHAUSTED = "retries_exhausted";
    static final String MUTED = "muted";
    static final String RATE_LIMITED = "rate_limited";

    private final MeterRegistry registry;
    private final Counter removed;
    private final Timer latency;
    private final Map<List<String>, Counter> tagged = new ConcurrentHashMap<>();

    public PushMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.removed = Counter.builder(REMOVED).description("push subscriptions removed as gone").register(registry);
        this.latency = Timer.builder(LATENCY).description("from a message's ingest to its push accepted")
                .publishPercentiles(0.5, 0.95, 0.99)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
        for (Subscription.Kind kind : Subscription.Kind.values()) {
            counter(SENT, "kind", kind.label());
        }
        List.of(GONE, REFUSED, RETRIES_EXHAUSTED).forEach(reason -> counter(FAILED, "reason", reason));
        List.of(MUTED, RATE_LIMITED).forEach(reason -> counter(SKIPPED, "reason", reason));
    }

    void sent(Subscription.Kind kind, Duration sinceIngest) {
        counter(SENT, "kind", kind.label()).increment();
        latency.record(sinceIngest.isNegative() ? Duration.ZERO : sinceIngest);
    }

    void failed(String reason) {
        counter(FAILED, "reason", reason).increment();
    }

    void skipped(String reason) {
        counter(SKIPPED, "reason", reason).increment();
    }

    void subscriptionRemoved() {
        removed.increment();
    }

    private Counter counter(String name, String tag, String value) {
        return tagged.computeIfAbsent(List.of(name, value), k -> Counter.builder(name).tag(tag, value)
                .register(registry));
    }
}
