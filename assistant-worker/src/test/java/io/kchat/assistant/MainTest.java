package io.kchat.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.observability.Health;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void withoutAModelTheWorkerStartsNothingAndIsReadyUntilClosed() throws Exception {
        // nothing listens there: a worker that tried to reach Kafka or the database would not be ready
        AssistantConfig off = AssistantConfig.of("127.0.0.1:1", "", new DatabaseSettings(
                "jdbc:postgresql://127.0.0.1:1/none", "postgres", "", 1));
        Health health = new Health(Duration.ofMillis(500));
        AtomicInteger modelsMade = new AtomicInteger();

        AssistantService service = Main.start(off, (config, clock) -> {
            modelsMade.incrementAndGet();
            return null;
        }, new SimpleMeterRegistry(), health);

        assertTrue(health.ready().up());
        assertEquals(Health.Phase.SERVING, health.phase());
        assertEquals(0, modelsMade.get());
        Thread waiting = Thread.ofVirtual().start(() -> {
            try {
                service.awaitTermination();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        service.close();
        assertTrue(waiting.join(Duration.ofSeconds(5)));
        assertNull(service.failure());
    }
}
