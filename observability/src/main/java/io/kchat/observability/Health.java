package io.kchat.observability;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The health of one service: the phase of its life and its named checks, asked by {@code GET /health/live} and
 * {@code GET /health/ready} (see {@link HealthRoutes}).
 *
 * <ul>
 *   <li><b>live</b>: not wedged. Down only after a fatal error ({@link #failed}) or when a liveness check fails
 *       (e.g. a thread the service cannot work without has died): the orchestrator restarts the process.
 *       Dependencies are not asked, so a database outage does not restart every instance.</li>
 *   <li><b>ready</b>: able to serve now. Up only while {@link Phase#SERVING} and every check, liveness and
 *       readiness ones (Kafka, the database, Streams RUNNING...), is up: down before the start completed, while
 *       draining on SIGTERM and after a fatal error.</li>
 * </ul>
 *
 * <p>Checks run in parallel, each given {@code checkTimeout}: a check that hangs (a database that accepts
 * connections and never answers) is reported down instead of holding the probe past its own timeout.
 * Thread-safe.
 */
public final class Health {

    /** Where the service is in its life; only {@link #SERVING} can be ready. */
    public enum Phase {
        STARTING, SERVING, DRAINING, FAILED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Below the usual probe timeout (Kubernetes here: 3 s), so that a slow check is reported, not timed out. */
    public static final Duration DEFAULT_CHECK_TIMEOUT = Duration.ofSeconds(2);

    private final Duration checkTimeout;
    private final Map<String, Supplier<CheckResult>> liveness = new LinkedHashMap<>();
    private final Map<String, Supplier<CheckResult>> readiness = new LinkedHashMap<>();
    // a virtual thread per check: a hung one costs nothing but its stack
    private final ExecutorService runner = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("health-check-", 0).factory());
    private volatile Phase phase = Phase.STARTING;
    private volatile String failure;

    public Health() {
        this(DEFAULT_CHECK_TIMEOUT);
    }

    public Health(Duration checkTimeout) {
        this.checkTimeout = checkTimeout;
    }

    /** A check of liveness, which readiness includes too; a name is used once across both kinds. */
    public synchronized Health liveness(String name, Supplier<CheckResult> check) {
        requireNew(name);
        liveness.put(name, check);
        return this;
    }

    /** A check of readiness only. */
    public synchronized Health readiness(String name, Supplier<CheckResult> check) {
        requireNew(name);
        readiness.put(name, check);
        return this;
    }

    /** The start completed: ready from now on, as far as the checks say. Ignored once draining or failed. */
    public synchronized void serving() {
        if (phase == Phase.STARTING) {
            phase = Phase.SERVING;
        }
    }

    /** SIGTERM: not ready any more, so that traffic and rollouts move on; still alive while it drains. */
    public synchronized void draining() {
        if (phase != Phase.FAILED) {
            phase = Phase.DRAINING;
        }
    }

    /** A fatal error: neither alive nor ready, for good. */
    public synchronized void failed(String reason) {
        failure = reason;
        phase = Phase.FAILED;
    }

    public Phase phase() {
        return phase;
    }

    /** Runs the liveness checks. */
    public HealthReport live() {
        Phase now = phase;
        Map<String, CheckResult> results = run(snapshot(false));
        boolean up = now != Phase.FAILED && results.values().stream().allMatch(CheckResult::up);
        return new HealthReport(up, now, now == Phase.FAILED ? failure : null, results);
    }

    /** Runs every check: the combined view ({@code /health}) and readiness ({@code /health/ready}). */
    public HealthReport ready() {
        Phase now = phase;
        Map<String, CheckResult> results = run(snapshot(true));
        boolean up = now == Phase.SERVING && results.values().stream().allMatch(CheckResult::up);
        return new HealthReport(up, now, reason(now), results);
    }

    /** This service's readiness as one check of another's: how the all-in-one launcher shows every service. */
    public CheckResult asCheck() {
        HealthReport report = ready();
        if (report.up()) {
            return CheckResult.healthy(report.phase().wire());
        }
        String down = report.checks().entrySet().stream().filter(e -> !e.getValue().up())
                .map(e -> e.getKey() + (e.getValue().detail() == null ? "" : ": " + e.getValue().detail()))
                .reduce((a, b) -> a + "; " + b).orElse(null);
        return CheckResult.unhealthy(report.reason() != null ? report.reason() : down);
    }

    private String reason(Phase now) {
        return switch (now) {
            case STARTING -> "starting";
            case SERVING -> null;
            case DRAINING -> "draining";
            case FAILED -> failure;
        };
    }

    private synchronized Map<String, Supplier<CheckResult>> snapshot(boolean withReadiness) {
        Map<String, Supplier<CheckResult>> checks = new LinkedHashMap<>(liveness);
        if (withReadiness) {
            checks.putAll(readiness);
        }
        return checks;
    }

    private Map<String, CheckResult> run(Map<String, Supplier<CheckResult>> checks) {
        Map<String, CompletableFuture<CheckResult>> running = new LinkedHashMap<>();
        checks.forEach((name, check) -> running.put(name, CompletableFuture.supplyAsync(() -> safely(check), runner)));
        long deadline = System.nanoTime() + checkTimeout.toNanos();
        Map<String, CheckResult> results = new LinkedHashMap<>();
        running.forEach((name, future) -> results.put(name, await(future, deadline)));
        return results;
    }

    private CheckResult await(CompletableFuture<CheckResult> future, long deadline) {
        try {
            return future.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            return CheckResult.unhealthy("no answer within " + checkTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return CheckResult.unhealthy(describe(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CheckResult.unhealthy("interrupted");
        }
    }

    private static CheckResult safely(Supplier<CheckResult> check) {
        try {
            CheckResult result = check.get();
            return result == null ? CheckResult.unhealthy("no result") : result;
        } catch (RuntimeException e) {
            return CheckResult.unhealthy(describe(e));
        }
    }

    private static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }

    private void requireNew(String name) {
        if (liveness.containsKey(name) || readiness.containsKey(name)) {
            throw new IllegalArgumentException("health check " + name + " added twice");
        }
    }
}
