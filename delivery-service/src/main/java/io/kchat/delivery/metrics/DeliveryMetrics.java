package io.kchat.delivery.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The delivery-service's own meters (Prometheus names in brackets); its consumers' and producer's own meters,
 * consumer lag ({@code kafka_consumer_fetch_manager_records_lag_max}) among them, are bound beside these by
 * the service's wiring ({@code DeliveryService}).
 * <ul>
 *   <li>{@value #DROPPED} by {@code reason}: ephemeral items for a node without an egress topic
 *       ({@code kchat_delivery_dropped_total});</li>
 *   <li>{@value #EPHEMERAL} by {@code kind}: typing and presence notices and parts of the assistant's answers
 *       ({@code assistant_stream}) sent to sessions
 *       ({@code kchat_delivery_ephemeral_total});</li>
 *   <li>{@value #ARCHIVE_BATCH}: one archive transaction, as a histogram
 *       ({@code kchat_delivery_archive_batch_seconds_bucket}); {@value #ARCHIVED}: events archived
 *       ({@code kchat_delivery_archived_total});</li>
 *   <li>{@value #RETRIES} by {@code loop}: batches read again because the database or Kafka refused them for now
 *       ({@code kchat_delivery_batch_retries_total}).</li>
 * </ul>
 * Rare events a dashboard or an alert watches (drops, retries) start at zero rather than appear with their first
 * occurrence. Thread-safe: every loop counts here.
 */
public final class DeliveryMetrics {

    static final String DROPPED = "kchat.delivery.dropped";
    static final String EPHEMERAL = "kchat.delivery.ephemeral";
    static final String ARCHIVE_BATCH = "kchat.delivery.archive.batch";
    static final String ARCHIVED = "kchat.delivery.archived";
    static final String RETRIES = "kchat.delivery.batch.retries";
    /** The one reason an item is dropped: its node has no egress topic any more. */
    public static final String NODE_GONE = "node_gone";
    static final List<String> NAMES = List.of(DROPPED, EPHEMERAL, ARCHIVE_BATCH, ARCHIVED, RETRIES);

    private final MeterRegistry registry;
    private final Counter archived;
    private final Timer archiveBatch;
    private final Map<List<String>, Counter> tagged = new ConcurrentHashMap<>();

    public DeliveryMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.archived = Counter.builder(ARCHIVED).description("messages and receipts archived").register(registry);
        this.archiveBatch = Timer.builder(ARCHIVE_BATCH).description("one archive transaction")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        counter(DROPPED, "reason", NODE_GONE);
    }

    /** Starts the retry counts of these loops at zero. */
    public void loops(Collection<String> names) {
        names.forEach(name -> counter(RETRIES, "loop", name));
    }

    /** An ephemeral item not sent; {@code reason} is one of this service's words ({@code node_gone}). */
    public void dropped(String reason) {
        counter(DROPPED, "reason", reason).increment();
    }

    /** An ephemeral notice sent; {@code kind} is {@code typing}, {@code presence} or {@code assistant_stream}. */
    public void ephemeral(String kind, int deliveries) {
        counter(EPHEMERAL, "kind", kind).increment(deliveries);
    }

    public void archiveBatch(long nanos, int events) {
        archiveBatch.record(Duration.ofNanos(nanos));
        archived.increment(events);
    }

    public void retried(String loop) {
        counter(RETRIES, "loop", loop).increment();
    }

    private Counter counter(String name, String tag, String value) {
        return tagged.computeIfAbsent(List.of(name, value), k -> Counter.builder(name).tag(tag, value)
                .register(registry));
    }
}
