package io.kchat.gateway.observability;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The gateway's own meters (Prometheus names in brackets):
 * <ul>
 *   <li>{@value #CONNECTIONS} open sockets, {@value #SESSIONS} authenticated ones
 *       ({@code kchat_gateway_connections}, {@code kchat_gateway_sessions}); {@value #HTTP_ACTIVE} HTTP requests
 *       in progress, probes and scrapes left out ({@code kchat_gateway_http_requests_active}): what a drain
 *       waits for;</li>
 *   <li>{@value #FRAMES_IN} / {@value #FRAMES_OUT} by frame {@code type} ({@code kchat_gateway_frames_in_total},
 *       {@code kchat_gateway_frames_out_total}); an unparsable client frame counts as {@code invalid};</li>
 *   <li>{@value #SEND_OK}: from a {@code send} frame taken to its {@code ok} queued, i.e. the broker's
 *       acknowledgement (acks=all), as a histogram ({@code kchat_gateway_send_ok_seconds_bucket});</li>
 *   <li>{@value #DELIVERY_LATENCY}: a live message pushed to a socket, minus its {@code ts} (the ingest time the
 *       sending gateway stamped): the whole path through Kafka, the processor and the delivery-service
 *       ({@code kchat_gateway_delivery_latency_seconds_bucket}). Replayed messages are left out: their age is the
 *       device's time offline;</li>
 *   <li>{@value #ERRORS} by {@code source} ({@code ws}: error frames, {@code http}: problem answers) and
 *       {@code code} ({@code kchat_gateway_errors_total});</li>
 *   <li>{@value #AUTH_FAILURES} by {@code via} ({@code http}: 401 answers, refused upgrades included;
 *       {@code ws}: a bad token in an {@code auth} frame) ({@code kchat_gateway_auth_failures_total});</li>
 *   <li>{@value #SESSION_CHECKS}: sessions checked with the user side because they waited for it
 *       ({@code kchat_gateway_session_checks_total}, see {@code SessionChecks}).</li>
 * </ul>
 * Every tag value comes from the gateway's own code (frame types, error codes), never from a client: the number of
 * series stays bounded. Thread-safe.
 */
public final class GatewayMetrics {

    public static final String CONNECTIONS = "kchat.gateway.connections";
    public static final String SESSIONS = "kchat.gateway.sessions";
    public static final String HTTP_ACTIVE = "kchat.gateway.http.requests.active";
    public static final String FRAMES_IN = "kchat.gateway.frames.in";
    public static final String FRAMES_OUT = "kchat.gateway.frames.out";
    public static final String SEND_OK = "kchat.gateway.send.ok";
    public static final String DELIVERY_LATENCY = "kchat.gateway.delivery.latency";
    public static final String ERRORS = "kchat.gateway.errors";
    public static final String AUTH_FAILURES = "kchat.gateway.auth.failures";
    public static final String SESSION_CHECKS = "kchat.gateway.session.checks";
    /** The meter names above, as the dashboard and its test know them. */
    public static final List<String> NAMES = List.of(CONNECTIONS, SESSIONS, HTTP_ACTIVE, FRAMES_IN, FRAMES_OUT, SEND_OK,
            DELIVERY_LATENCY, ERRORS, AUTH_FAILURES);

    private final MeterRegistry registry;
    private final Clock clock;
    private final Timer sendOk;
    private final Timer deliveryLatency;
    private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();

    public GatewayMetrics(MeterRegistry registry, Clock clock) {
        this.registry = registry;
        this.clock = clock;
        this.sendOk = Timer.builder(SEND_OK)
                .description("send frame taken to its ok queued (the broker acknowledged the write)")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry);
        this.deliveryLatency = Timer.builder(DELIVERY_LATENCY)
                .description("live message pushed to a socket, minus its ingest time")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry);
    }

    /** How many sockets are open, and how many of them authenticated. */
    public void connections(Supplier<Number> open, Supplier<Number> authenticated) {
        Gauge.builder(CONNECTIONS, open).description("open WebSocket connections").register(registry);
        Gauge.builder(SESSIONS, authenticated).description("authenticated WebSocket sessions").register(registry);
    }

    /**
     * SessionChecks sent so far (a counter read from the checker): an idle socket costs one per interval; a jump
     * beyond that rate means sessions are waiting on the user side.
     */
    public void sessionChecks(Supplier<Number> sent) {
        FunctionCounter.builder(SESSION_CHECKS, sent, value -> value.get().doubleValue())
                .description("session checks sent to the user side (the safety net of session routing)")
                .register(registry);
    }

    /** How many HTTP requests are in progress. */
    public void httpRequests(Supplier<Number> inProgress) {
        Gauge.builder(HTTP_ACTIVE, inProgress).description("HTTP requests in progress").register(registry);
    }

    public void frameIn(String type) {
        counter(FRAMES_IN, "type", type).increment();
    }

    public void frameOut(String type) {
        counter(FRAMES_OUT, "type", type).increment();
    }

    /** An error answer: {@code source} {@code ws} or {@code http}, {@code code} the API's machine-readable one. */
    public void error(String source, String code) {
        counter(ERRORS, "source", source, "code", code).increment();
    }

    public void authFailure(String via) {
        counter(AUTH_FAILURES, "via", via).increment();
    }

    /** A send's ok, {@code nanos} after the frame was taken. */
    public void sendOk(long nanos) {
        sendOk.record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A live message pushed now, stamped {@code ingestTime} by the gateway it was sent to. */
    public void delivered(Instant ingestTime) {
        // clocks of two nodes may disagree a little: a negative age is recorded as none rather than dropped
        long millis = Math.max(0, Duration.between(ingestTime, clock.instant()).toMillis());
        deliveryLatency.record(millis, TimeUnit.MILLISECONDS);
    }

    private Counter counter(String name, String... tags) {
        List<String> key = tags.length == 2 ? List.of(name, tags[0], tags[1])
                : List.of(name, tags[0], tags[1], tags[2], tags[3]);
        return counters.computeIfAbsent(key, k -> Counter.builder(name).tags(tags).register(registry));
    }
}
