package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WindowCostTest {

    private static StackProbe.Snapshot snapshot(Map<String, Long> ends, long jvmMillis, long childMillis) {
        return new StackProbe.Snapshot(0, ends, Optional.of(Duration.ofMillis(jvmMillis)),
                Optional.of(Duration.ofMillis(childMillis)));
    }

    @Test
    void dividesTheWindowsRecordsAndCpuByItsDeliveries() {
        WindowCost cost = WindowCost.between(
                snapshot(Map.of("chat.inbound", 100L, "chat.messages", 50L, "idle", 7L), 10_000, 500),
                snapshot(Map.of("chat.inbound", 1_100L, "chat.messages", 1_050L, "idle", 7L, "new-changelog", 2_000L),
                        11_400, 600),
                1_000);

        assertEquals(Map.of("chat.inbound", 1_000L, "chat.messages", 1_000L, "new-changelog", 2_000L),
                cost.recordsByTopic(), "a topic without writes is left out; one created in the window counts whole");
        assertEquals(4.0, cost.recordsPerDelivery());
        assertEquals(1.4, cost.jvmCpuMillisPerDelivery(), 1e-9);
        assertEquals(0.1, cost.childCpuMillisPerDelivery(), 1e-9);
        assertTrue(cost.lines().getFirst().contains("4.0 Kafka records per delivered message"), cost.lines().toString());
        assertTrue(cost.lines().get(2).contains("1.400 ms in the stack's JVMs"), cost.lines().toString());
        assertTrue(cost.lines().get(2).contains("0.100 ms in their child processes"), cost.lines().toString());
    }

    @Test
    void withoutPidsTheCpuIsSaidToBeUnmeasured() {
        StackProbe.Snapshot unmeasured = new StackProbe.Snapshot(0, Map.of("t", 0L), Optional.empty(), Optional.empty());
        StackProbe.Snapshot later = new StackProbe.Snapshot(1, Map.of("t", 30L), Optional.empty(), Optional.empty());
        WindowCost cost = WindowCost.between(unmeasured, later, 10);

        assertEquals(3.0, cost.recordsPerDelivery());
        assertTrue(Double.isNaN(cost.jvmCpuMillisPerDelivery()));
        assertEquals("    CPU: not measured (no --stack-pids)", cost.lines().get(2));
    }
}
