package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Test;

/** The floor's producers batch as the live path's do (issue 6: the same producer settings). */
class FloorClientsTest {

    @Test
    void theFloorLingersAsTheStacksProducersDo() {
        assertEquals(1, FloorClients.lingerMs(Map.of()), "the services' default");
        assertEquals(0, FloorClients.lingerMs(Map.of("KAFKA_LINGER", " 0ms ")));
        assertEquals(2, FloorClients.lingerMs(Map.of("KAFKA_LINGER_MS", "2")), "the former spelling, as the services read it");
        assertEquals(5, FloorClients.producer("k:9092", "p", 5).get(ProducerConfig.LINGER_MS_CONFIG));
        assertTrue(FloorClients.producerSummary(3).contains("linger.ms=3"));
    }
}
