package io.kchat.assistant.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The assistant worker's own meters (Prometheus names in brackets); its Kafka clients' meters, consumer lag among
 * them, are bound beside these by the wiring.
 * <ul>
 *   <li>{@value #QUESTIONS} by {@code outcome} (answered, failed, stopped, rate_limited, too_old)
 *       ({@code kchat_assistant_questions_total});</li>
 *   <li>{@value #ANSWER}: from the question's ingest to its answer's ack (too old ones aside), as a histogram
 *       ({@code kchat_assistant_answer_seconds_bucket});</li>
 *   <li>{@value #FIRST_DELTA}: from the model call to its first delta ({@code kchat_assistant_first_delta_seconds});</li>
 *   <li>{@value #MODEL_FAILURES} by {@code kind} ({@code kchat_assistant_model_failures_total});</li>
 *   <li>{@value #IN_FLIGHT}: answers being written now ({@code kchat_assistant_answers_in_flight}).</li>
 * </ul>
 * Thread-safe.
 */
public final class AssistantMetrics {

    static final String QUESTIONS = "kchat.assistant.questions";
    static final String ANSWER = "kchat.assistant.answer";
    static final String FIRST_DELTA = "kchat.assistant.first.delta";
    static final String MODEL_FAILURES = "kchat.assistant.model.failures";
    static final String IN_FLIGHT = "kchat.assistant.answers.in.flight";
    private static final String TOO_OLD = "too_old";
    static final List<String> OUTCOMES = List.of("answered", "failed", "stopped", "rate_limited", "too_old");

    private final MeterRegistry registry;
    private final Timer answer;
    private final Timer firstDelta;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public AssistantMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.answer = Timer.builder(ANSWER).description("from a question's ingest to its answer's ack")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(100))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry);
        this.firstDelta = Timer.builder(FIRST_DELTA).description("from a model call to its first delta")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(50))
                .maximumExpectedValue(Duration.ofMinutes(1))
                .register(registry);
        OUTCOMES.forEach(outcome -> counter(QUESTIONS, "outcome", outcome));
    }

    /** Answers being written now, as {@code inFlight} counts them. */
    public void inFlight(Supplier<Number> inFlight) {
        Gauge.builder(IN_FLIGHT, inFlight).description("answers being written now").register(registry);
    }

    /** A question answered; its latency counts unless it was too old (those measure the outage, not the worker). */
    public void question(String outcome, Duration sinceIngest) {
        counter(QUESTIONS, "outcome", outcome).increment();
        if (!TOO_OLD.equals(outcome)) {
            answer.record(sinceIngest.isNegative() ? Duration.ZERO : sinceIngest);
        }
    }

    public void firstDelta(Duration sinceCall) {
        firstDelta.record(sinceCall);
    }

    public void modelFailure(String kind) {
        counter(MODEL_FAILURES, "kind", kind).increment();
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(List.of(name, tag, value),
                key -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
