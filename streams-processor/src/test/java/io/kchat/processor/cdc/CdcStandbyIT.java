package io.kchat.processor.cdc;

import static io.kchat.processor.KafkaTestClients.drain;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.InboundCommand;
import io.kchat.processor.KafkaTestClients;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/** D8: two processors' relays on one slot: one relays, the other stands by and takes over when it goes. */
class CdcStandbyIT {

    @Test
    void exactlyOneRelayRunsAndTheStandbyTakesOverWhenItCloses() throws Exception {
        CdcFixture fx = new CdcFixture("cdc-standby", Map.of());
        List<ConsumerRecord<String, InboundCommand>> relayed = new ArrayList<>();
        CdcRelay first = null;
        CdcRelay second = null;
        try (Connection db = fx.connect();
             KafkaConsumer<String, InboundCommand> inbound = KafkaTestClients.consumer(fx.bootstrap, fx.topics.inbound(), "read_committed")) {
            CdcFixture.insertOutbox(db, "before-start", CdcFixture.createdCommand("before-start"), Instant.now());
            first = fx.startRelay();
            second = fx.startRelay();

            long one = CdcFixture.insertOutbox(db, "one", CdcFixture.createdCommand("one"), Instant.now());
            await().atMost(Duration.ofSeconds(90)).until(() -> conversations(drain(inbound, relayed)).contains("one"));
            CdcRelay a = first;
            CdcRelay b = second;
            await().atMost(Duration.ofSeconds(10)).until(() -> Math.max(a.relayedOutboxId(), b.relayedOutboxId()) == one);
            CdcRelay active = a.relayedOutboxId() > 0 ? a : b;
            CdcRelay standby = active == a ? b : a;
            // The standby runs no engine at all: it relays nothing, and the snapshot was taken once.
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> standby.relayedOutboxId() == 0);
            assertEquals(List.of("before-start", "one"), conversations(drain(inbound, relayed)).stream().sorted().toList());

            active.close();
            long two = CdcFixture.insertOutbox(db, "two", CdcFixture.createdCommand("two"), Instant.now());
            await().atMost(Duration.ofSeconds(60)).until(() -> conversations(drain(inbound, relayed)).contains("two"));
            await().atMost(Duration.ofSeconds(10)).until(() -> standby.relayedOutboxId() == two);
            assertTrue(conversations(relayed).containsAll(List.of("before-start", "one", "two")));
        } finally {
            for (CdcRelay relay : new CdcRelay[] {first, second}) {
                if (relay != null) {
                    relay.close(); // closing a closed relay is harmless
                }
            }
        }
    }

    private static List<String> conversations(List<ConsumerRecord<String, InboundCommand>> records) {
        return records.stream()
                .map(r -> ((ConversationChanged) r.value().getCommand()).getConversation())
                .map(ConversationSnapshot::getConversationId).toList();
    }
}
