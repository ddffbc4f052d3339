package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.Delivery;
import io.kchat.events.DeviceAck;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReadUpTo;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionOpened;
import io.kchat.events.StreamTick;
import io.kchat.events.UserCommand;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quiet acknowledgement wave against a real broker: a frontier (user side) or a receipt (conversation side) held
 * back because one went a moment before still goes out when nothing else comes in, through the tick the processor
 * writes to its own quiet input partition.
 */
class AcknowledgementWaveIT {

    @TempDir
    Path stateDir;

    @Test
    void aHeldFrontierBecomesAReceiptOnAQuietPartitionThroughATick() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("wave");
        ProcessorConfig config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        TopicCatalogue topics = new TopicCatalogue(prefix);
        KafkaTestClients.egressOf(bootstrap, topics, "node-a");

        List<ConsumerRecord<String, Delivery>> delivered = new ArrayList<>();
        List<ConsumerRecord<String, Receipt>> receipts = new ArrayList<>();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> egress = KafkaTestClients.consumer(bootstrap, topics.egress("node-a"),
                     "read_uncommitted");
             KafkaConsumer<String, Receipt> receiptReader = KafkaTestClients.consumer(bootstrap, topics.receipts(),
                     "read_committed")) {
            produce(bootstrap, topics.userInbound(), "bob",
                    new UserCommand(new SessionOpened("bob", "bob-phone", "s1", "node-a", Instant.now(), null)));
            KafkaTestClients.directConversation(bootstrap, topics, "c1", "alice", "bob");
            for (int i = 1; i <= 2; i++) {
                produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-" + i, Instant.now(),
                        new SendMessage("id-" + i, "alice", "alice-phone", "m" + i)));
            }
            // bob's log: created (userSeq 1), m1 (2), m2 (3)
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(egress, delivered).stream()
                    .anyMatch(r -> r.value().getItem() instanceof LoggedEvent e && e.getUserSeq() == 3L));

            produce(bootstrap, topics.userInbound(), "bob", new UserCommand(new DeviceAck("bob", "bob-phone", 2L)));
            produce(bootstrap, topics.userInbound(), "bob", new UserCommand(new DeviceAck("bob", "bob-phone", 3L)));

            // the first at once, the second held and then let out though nothing else was written
            await().atMost(Duration.ofSeconds(30)).until(() -> deliveredSeqs(drain(receiptReader, receipts))
                    .contains(2L));
            assertEquals(List.of(1L, 2L), deliveredSeqs(receipts));
        }
        try (KafkaConsumer<String, UserCommand> input = KafkaTestClients.consumer(bootstrap, topics.userInbound(),
                "read_committed")) {
            List<ConsumerRecord<String, UserCommand>> commands = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(input, commands).stream()
                    .anyMatch(r -> r.value().getCommand() instanceof StreamTick));
            assertTrue(commands.stream().filter(r -> r.value().getCommand() instanceof StreamTick)
                    .allMatch(r -> r.key() == null), "ticks carry no key");
        }
    }

    @Test
    void aHeldReadReceiptReachesTheMembersOnAQuietPartitionThroughATick() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("receipt-wave");
        ProcessorConfig config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        TopicCatalogue topics = new TopicCatalogue(prefix);
        KafkaTestClients.egressOf(bootstrap, topics, "node-a");

        List<ConsumerRecord<String, Delivery>> delivered = new ArrayList<>();
        List<ConsumerRecord<String, Receipt>> receipts = new ArrayList<>();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> egress = KafkaTestClients.consumer(bootstrap, topics.egress("node-a"),
                     "read_uncommitted");
             KafkaConsumer<String, Receipt> receiptReader = KafkaTestClients.consumer(bootstrap, topics.receipts(),
                     "read_committed")) {
            produce(bootstrap, topics.userInbound(), "alice",
                    new UserCommand(new SessionOpened("alice", "alice-phone", "s1", "node-a", Instant.now(), null)));
            KafkaTestClients.directConversation(bootstrap, topics, "c1", "alice", "bob");
            for (int i = 1; i <= 2; i++) {
                produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-" + i, Instant.now(),
                        new SendMessage("id-" + i, "alice", "alice-phone", "m" + i)));
            }
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("read-1", Instant.now(),
                    new ReadUpTo("bob", "bob-phone", 1L)));
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("read-2", Instant.now(),
                    new ReadUpTo("bob", "bob-phone", 2L)));

            // the first at once, the second held and then let out though nothing else was written
            await().atMost(Duration.ofSeconds(30)).until(() -> readSeqs(drain(receiptReader, receipts)).contains(2L));
            assertEquals(List.of(1L, 2L), readSeqs(receipts));
            // and alice's sockets got both, each once, in her log's order
            await().atMost(Duration.ofSeconds(30)).until(() -> readSeqsDelivered(drain(egress, delivered)).contains(2L));
            assertEquals(List.of(1L, 2L), readSeqsDelivered(delivered));
        }
        try (KafkaConsumer<String, InboundCommand> input = KafkaTestClients.consumer(bootstrap, topics.inbound(),
                "read_committed")) {
            List<ConsumerRecord<String, InboundCommand>> commands = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(input, commands).stream()
                    .anyMatch(r -> r.value().getCommand() instanceof StreamTick));
            assertTrue(commands.stream().filter(r -> r.value().getCommand() instanceof StreamTick)
                    .allMatch(r -> r.key() == null), "ticks carry no key");
        }
    }

    private static List<Long> readSeqs(List<ConsumerRecord<String, Receipt>> receipts) {
        return receipts.stream().map(ConsumerRecord::value).filter(r -> r.getKind() == ReceiptKind.READ)
                .map(Receipt::getSeq).toList();
    }

    private static List<Long> readSeqsDelivered(List<ConsumerRecord<String, Delivery>> deliveries) {
        return deliveries.stream().map(r -> r.value().getItem())
                .filter(item -> item instanceof LoggedEvent e && e.getEvent().getPayload() instanceof Receipt receipt
                        && receipt.getKind() == ReceiptKind.READ)
                .map(item -> ((Receipt) ((LoggedEvent) item).getEvent().getPayload()).getSeq()).toList();
    }

    private static List<Long> deliveredSeqs(List<ConsumerRecord<String, Receipt>> receipts) {
        return receipts.stream().map(ConsumerRecord::value).filter(r -> r.getKind() == ReceiptKind.DELIVERED)
                .map(Receipt::getSeq).toList();
    }
}
