package io.kchat.processor.observability;

import io.kchat.processor.conversation.ConversationMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The conversation side's counts as Micrometer counters (Prometheus names in brackets): {@value #SEQUENCED}
 * ({@code kchat_processor_messages_sequenced_total}), {@value #DUPLICATES}
 * ({@code kchat_processor_sends_duplicate_total}) and {@value #REFUSED} by {@code reason}
 * ({@code kchat_processor_sends_refused_total}). Kafka Streams' own meters (threads, tasks, consumer lag) come from
 * Micrometer's Kafka Streams binder, bound by {@code ProcessorApp}. Thread-safe: every stream thread counts here.
 */
public final class ConversationMeters implements ConversationMetrics {

    public static final String SEQUENCED = "kchat.processor.messages.sequenced";
    public static final String DUPLICATES = "kchat.processor.sends.duplicate";
    public static final String REFUSED = "kchat.processor.sends.refused";
    public static final List<String> NAMES = List.of(SEQUENCED, DUPLICATES, REFUSED);

    private final MeterRegistry registry;
    private final Counter sequenced;
    private final Counter duplicates;
    private final Map<String, Counter> refusals = new ConcurrentHashMap<>();

    public ConversationMeters(MeterRegistry registry) {
        this.registry = registry;
        this.sequenced = Counter.builder(SEQUENCED).description("messages accepted and given their seq")
                .register(registry);
        this.duplicates = Counter.builder(DUPLICATES).description("sends of a client id already accepted")
                .register(registry);
    }

    @Override
    public void sequenced() {
        sequenced.increment();
    }

    @Override
    public void duplicate() {
        duplicates.increment();
    }

    @Override
    public void refused(String reason) {
        // reasons are the processor's own codes: a handful of series
        refusals.computeIfAbsent(reason, r -> Counter.builder(REFUSED).description("sends refused, by the code sent back")
                .tag("reason", r).register(registry)).increment();
    }
}
