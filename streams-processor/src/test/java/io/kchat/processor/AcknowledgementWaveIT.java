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
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quiet acknowledgement wave against a real broker: a frontier (user side) or a receipt (conversation side) held
 * back because one went a moment before still goes out when nothing else comes in, through the tick the processor
 * writes to its own quiet input partition.
 */
class AcknowledgementWaveIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path stateDir;
    private final String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
    private final List<ConsumerRecord<String, Delivery>> delivered = new ArrayList<>();
    private final List<ConsumerRecord<String, Receipt>> receipts = new ArrayList<>();
    private TopicCatalogue topics;
    private ProcessorConfig config;

    @BeforeEach
    void topics() {
        String prefix = SharedInfrastructure.uniquePrefix("wave");
        config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        topics = new TopicCatalogue(prefix);
        KafkaTestClients.egressOf(bootstrap, topics, "node-a");
    }

    /** c1 of alice and bob, {@code online} with a socket on node-a, and alice's m1 and m2 in it. */
    private void twoMessages(String online) throws Exception {
        produce(bootstrap, topics.userInbound(), online,
                new UserCommand(new SessionOpened(online, online + "-phone", "s1", "node-a", Instant.now(), null)));
        KafkaTestClients.directConversation(bootstrap, topics, "c1", "alice", "bob");
        for (int i = 1; i <= 2; i++) {
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-" + i, Instant.now(),
                    new SendMessage("id-" + i, "alice", "alice-phone", "m" + i, null, null, List.of(), false)));
        }
    }

    @Test
    void aHeldFrontierBecomesAReceiptOnAQuietPartitionThroughATick() throws Exception {
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> egress = egress();
             KafkaConsumer<String, Receipt> receiptReader = receiptReader()) {
            twoMessages("bob");
            // bob's log: created (userSeq 1), m1 (2), m2 (3)
            await().atMost(WAIT).until(() -> drain(egress, delivered).stream()
                    .anyMatch(r -> r.value().getItem() instanceof LoggedEvent e && e.getUserSeq() == 3L));

            produce(bootstrap, topics.userInbound(), "bob", new UserCommand(new DeviceAck("bob", "bob-phone", 2L)));
            produce(bootstrap, topics.userInbound(), "bob", new UserCommand(new DeviceAck("bob", "bob-phone", 3L)));

            // the first at once, the second held and then let out though nothing else was written
            await().atMost(WAIT).until(() -> seqs(drain(receiptReader, receipts), ReceiptKind.DELIVERED).contains(2L));
            assertEquals(List.of(1L, 2L), seqs(receipts, ReceiptKind.DELIVERED));
        }
        assertKeylessTickIn(topics.userInbound(), UserCommand::getCommand);
    }

    @Test
    void aHeldReadReceiptReachesTheMembersOnAQuietPartitionThroughATick() throws Exception {
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> egress = egress();
             KafkaConsumer<String, Receipt> receiptReader = receiptReader()) {
            twoMessages("alice");
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("read-1", Instant.now(),
                    new ReadUpTo("bob", "bob-phone", 1L)));
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("read-2", Instant.now(),
                    new ReadUpTo("bob", "bob-phone", 2L)));

            // the first at once, the second held and then let out though nothing else was written
            await().atMost(WAIT).until(() -> seqs(drain(receiptReader, receipts), ReceiptKind.READ).contains(2L));
            assertEquals(List.of(1L, 2L), seqs(receipts, ReceiptKind.READ));
            // and alice's socket got both, each once, in her log's order
            await().atMost(WAIT).until(() -> readSeqsDelivered(drain(egress, delivered)).contains(2L));
            assertEquals(List.of(1L, 2L), readSeqsDelivered(delivered));
        }
        assertKeylessTickIn(topics.inbound(), InboundCommand::getCommand);
    }

    private KafkaConsumer<String, Delivery> egress() {
        return KafkaTestClients.consumer(bootstrap, topics.egress("node-a"), "read_uncommitted");
    }

    private KafkaConsumer<String, Receipt> receiptReader() {
        return KafkaTestClients.consumer(bootstrap, topics.receipts(), "read_committed");
    }

    /** The processor wrote a StreamTick to its own input {@code topic}, and every tick there has no key. */
    private <V> void assertKeylessTickIn(Topic<String, V> topic, Function<V, Object> command) {
        try (KafkaConsumer<String, V> input = KafkaTestClients.consumer(bootstrap, topic, "read_committed")) {
            List<ConsumerRecord<String, V>> records = new ArrayList<>();
            await().atMost(WAIT).until(() -> drain(input, records).stream()
                    .anyMatch(r -> command.apply(r.value()) instanceof StreamTick));
            assertTrue(records.stream().filter(r -> command.apply(r.value()) instanceof StreamTick)
                    .allMatch(r -> r.key() == null), "ticks carry no key");
        }
    }

    private static List<Long> seqs(List<ConsumerRecord<String, Receipt>> receipts, ReceiptKind kind) {
        return receipts.stream().map(ConsumerRecord::value).filter(r -> r.getKind() == kind).map(Receipt::getSeq)
                .toList();
    }

    private static List<Long> readSeqsDelivered(List<ConsumerRecord<String, Delivery>> deliveries) {
        return deliveries.stream().map(r -> r.value().getItem())
                .filter(item -> item instanceof LoggedEvent e && e.getEvent().getPayload() instanceof Receipt receipt
                        && receipt.getKind() == ReceiptKind.READ)
                .map(item -> ((Receipt) ((LoggedEvent) item).getEvent().getPayload()).getSeq()).toList();
    }
}
