package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationEvent;
import io.kchat.events.Delivery;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The processor against a real broker: exactly-once, both sides, and state that survives a restart. */
class ProcessorIT {

    @TempDir
    Path stateDir;

    @Test
    void messagesFlowThroughBothSidesInOrderAndTheLogSurvivesARestart() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("processor");
        ProcessorConfig config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        TopicCatalogue topics = new TopicCatalogue(prefix);

        KafkaTestClients.egressOf(bootstrap, topics, "node-a", "node-b");
        List<ConsumerRecord<String, Delivery>> deliveries = new ArrayList<>();
        List<ConsumerRecord<String, ChatMessage>> messages = new ArrayList<>();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> deliveryReader = KafkaTestClients.consumer(bootstrap, topics.egress("node-a"), "read_uncommitted");
             KafkaConsumer<String, ChatMessage> messageReader = KafkaTestClients.consumer(bootstrap, topics.messages(), "read_committed")) {
            produce(bootstrap, topics.userInbound(), "bob",
                    new UserCommand(new SessionOpened("bob", "bob-phone", "s1", "node-a", Instant.now(), null)));
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(deliveryReader, deliveries).size() >= 2);
            assertEquals(new ReplayStarted("bob-phone", 0L), deliveries.get(0).value().getItem());

            KafkaTestClients.directConversation(bootstrap, topics, "c1", "alice", "bob");
            for (int i = 1; i <= 100; i++) {
                produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-" + i, Instant.now(),
                        new SendMessage("id-" + i, "alice", "alice-phone", "m" + i, null, null, List.of(), false)));
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(messageReader, messages).size() >= 100);
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), messages.stream().map(r -> r.value().getSeq()).toList());

            await().atMost(Duration.ofSeconds(30)).until(() -> loggedFor(drain(deliveryReader, deliveries)).size() >= 101);
            List<LoggedEvent> live = loggedFor(deliveries);
            assertEquals(LongStream.rangeClosed(1, 101).boxed().toList(), live.stream().map(LoggedEvent::getUserSeq).toList());
            assertInstanceOf(ConversationEvent.class, live.getFirst().getEvent().getPayload());
            assertEquals("m100", ((ChatMessage) live.getLast().getEvent().getPayload()).getBody());
        }

        // A restart restores the log from the changelog: a new session of the unacked device replays it all.
        deliveries.clear();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> deliveryReader = KafkaTestClients.consumer(bootstrap, topics.egress("node-b"), "read_committed")) {
            produce(bootstrap, topics.userInbound(), "bob",
                    new UserCommand(new SessionOpened("bob", "bob-phone", "s2", "node-b", Instant.now(), null)));
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(deliveryReader, deliveries).stream()
                    .anyMatch(r -> r.value().getItem() instanceof ReplayFinished f && f.getUserSeq() == 101L));
            List<Delivery> replay = deliveries.stream().map(ConsumerRecord::value)
                    .filter(d -> d.getRoutes().getFirst().getSessionId().equals("s2")).toList();
            assertEquals(new ReplayStarted("bob-phone", 0L), replay.getFirst().getItem());
            assertEquals(LongStream.rangeClosed(1, 101).boxed().toList(),
                    replay.stream().filter(d -> d.getItem() instanceof LoggedEvent)
                            .map(d -> ((LoggedEvent) d.getItem()).getUserSeq()).toList());
        }
    }

    private static List<LoggedEvent> loggedFor(List<ConsumerRecord<String, Delivery>> records) {
        return records.stream().map(ConsumerRecord::value)
                .filter(d -> d.getRoutes().getFirst().getSessionId().equals("s1") && d.getItem() instanceof LoggedEvent)
                .map(d -> (LoggedEvent) d.getItem()).toList();
    }
}
