package io.kchat.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class HealthTest {

    private final AtomicBoolean kafkaUp = new AtomicBoolean(true);
    private final AtomicBoolean threadAlive = new AtomicBoolean(true);
    private final Health health = new Health(Duration.ofMillis(300))
            .liveness("worker", () -> threadAlive.get() ? CheckResult.healthy() : CheckResult.unhealthy("worker died"))
            .readiness("kafka", () -> kafkaUp.get() ? CheckResult.healthy("1 broker")
                    : CheckResult.unhealthy("no answer"));

    @Test
    void readyOnlyOnceServingAndWhileEveryCheckIsUp() {
        assertFalse(health.ready().up(), "starting");
        assertEquals("starting", health.ready().reason());
        assertTrue(health.live().up(), "alive while it starts");

        health.serving();
        assertTrue(health.ready().up());
        assertEquals(List.of("worker", "kafka"), List.copyOf(health.ready().checks().keySet()));

        kafkaUp.set(false);
        HealthReport report = health.ready();
        assertFalse(report.up());
        assertEquals(CheckResult.unhealthy("no answer"), report.checks().get("kafka"));
        assertTrue(health.live().up(), "a dependency down does not make the process dead");
    }

    @Test
    void drainingIsNotReadyButAlive() {
        health.serving();
        health.draining();
        assertFalse(health.ready().up());
        assertEquals("draining", health.ready().reason());
        assertTrue(health.live().up());
        health.serving();
        assertEquals(Health.Phase.DRAINING, health.phase(), "a drain is not undone");
    }

    @Test
    void aDeadWorkerOrAFatalErrorIsNeitherAliveNorReady() {
        health.serving();
        threadAlive.set(false);
        assertFalse(health.live().up());
        assertFalse(health.ready().up());

        threadAlive.set(true);
        health.failed("streams in ERROR");
        assertFalse(health.live().up());
        assertEquals("streams in ERROR", health.live().reason());
        health.draining();
        assertEquals(Health.Phase.FAILED, health.phase());
    }

    @Test
    void aHungOrThrowingCheckIsReportedDownInTime() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        health.readiness("database", () -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return CheckResult.healthy();
        });
        health.readiness("cdc", () -> {
            throw new IllegalStateException("slot taken");
        });
        health.serving();

        long started = System.nanoTime();
        HealthReport report = health.ready();
        assertTrue(Duration.ofNanos(System.nanoTime() - started).compareTo(Duration.ofSeconds(2)) < 0);
        assertFalse(report.up());
        assertEquals(CheckResult.unhealthy("no answer within 300 ms"), report.checks().get("database"));
        assertEquals(CheckResult.unhealthy("slot taken"), report.checks().get("cdc"));
        assertTrue(report.checks().get("kafka").up());
    }

    @Test
    void anotherServicesHealthIsOneCheck() {
        assertEquals(CheckResult.unhealthy("starting"), health.asCheck());
        health.serving();
        assertEquals(CheckResult.healthy("serving"), health.asCheck());
        kafkaUp.set(false);
        assertEquals(CheckResult.unhealthy("kafka: no answer"), health.asCheck());
    }

    @Test
    void aNameIsUsedOnce() {
        assertThrows(IllegalArgumentException.class, () -> health.liveness("kafka", CheckResult::healthy));
    }
}
