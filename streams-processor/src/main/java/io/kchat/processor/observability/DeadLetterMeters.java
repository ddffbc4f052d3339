package io.kchat.processor.observability;

import io.kchat.processor.errors.DeadLetterMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;

/**
 * Records set aside in the dead-letter topic, as the Micrometer counter {@value #DEAD_LETTERED}
 * ({@code kchat_processor_records_dead_lettered_total}) by source {@code topic} and {@code stage}
 * ({@code deserialization}, {@code processing}): anything above zero is for an operator (docs/topics.md). The
 * processor's two input topics and two stages make four series at most. Counted when set aside: a transaction that
 * aborts afterwards is processed again and counts its dead letters again. Thread-safe: every stream thread counts here.
 */
public final class DeadLetterMeters implements DeadLetterMetrics {

    public static final String DEAD_LETTERED = "kchat.processor.records.dead.lettered";

    private final MeterRegistry registry;

    public DeadLetterMeters(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void deadLettered(String sourceTopic, FailureStage stage) {
        // registering an existing counter returns it: dead letters are rare, no cache needed
        Counter.builder(DEAD_LETTERED).description("input records written to the dead-letter topic and skipped")
                .tag("topic", sourceTopic).tag("stage", stage.name().toLowerCase(Locale.ROOT))
                .register(registry).increment();
    }
}
