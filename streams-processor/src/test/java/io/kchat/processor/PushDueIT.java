package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.DeviceRegistered;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PushDue;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes due against a real broker (D15): a burst logged by one processor falls due in the next one, restored from
 * the store's changelog, and goes out although nothing comes in any more, through the tick the processor writes to its
 * own quiet input partition; read committed, as the push sender reads it.
 */
class PushDueIT {

    /** Long enough that the first processor stops before the burst falls due. */
    private static final Duration GRACE = Duration.ofSeconds(10);

    @TempDir
    Path stateDir;

    @Test
    void aBurstLoggedBeforeARestartFallsDueAfterItForTheDeviceWithoutASession() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("push");
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                "CHAT_TOPIC_PREFIX", prefix, "CHAT_STATE_DIR", stateDir.toString(), "PUSH_GRACE", "10s"));
        TopicCatalogue topics = new TopicCatalogue(prefix);
        KafkaTestClients.egressOf(bootstrap, topics, "node-a");

        List<ConsumerRecord<String, Delivery>> deliveries = new ArrayList<>();
        List<ConsumerRecord<String, PushDue>> pushes = new ArrayList<>();
        Instant sent;
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> deliveryReader =
                     KafkaTestClients.consumer(bootstrap, topics.egress("node-a"), "read_committed");
             KafkaConsumer<String, PushDue> pushReader =
                     KafkaTestClients.consumer(bootstrap, topics.push(), "read_uncommitted")) {
            // bob's phone is online, his laptop only registered
            produce(bootstrap, topics.userInbound(), "bob",
                    new UserCommand(new DeviceRegistered("bob", "laptop", Instant.now())));
            produce(bootstrap, topics.userInbound(), "bob",
                    new UserCommand(new SessionOpened("bob", "phone", "s1", "node-a", Instant.now(), null)));
            KafkaTestClients.directConversation(bootstrap, topics, "c1", "alice", "bob");
            sent = Instant.now();
            produce(bootstrap, topics.inbound(), "c1", new InboundCommand("cmd-1", sent,
                    new SendMessage("id-1", "alice", "alice-phone", "hi", null, null, List.of(), false)));

            // the phone's copy, committed: the user side logged the message, and held its burst, in that transaction
            await().atMost(Duration.ofSeconds(60)).until(() -> drain(deliveryReader, deliveries).stream()
                    .anyMatch(r -> r.value().getItem() instanceof LoggedEvent logged
                            && logged.getEvent().getPayload() instanceof ChatMessage));
            assertEquals(List.of(), drain(pushReader, pushes), "not within the grace");
        }

        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, PushDue> pushReader =
                     KafkaTestClients.consumer(bootstrap, topics.push(), "read_committed")) {
            await().atMost(Duration.ofSeconds(90)).until(() -> !drain(pushReader, pushes).isEmpty());
            PushDue due = pushes.getFirst().value();
            assertEquals("bob", pushes.getFirst().key());
            assertEquals(List.of("laptop"), due.getDeviceIds(), "the phone has a session");
            assertEquals("c1", due.getConversationId());
            assertEquals(1L, due.getSeq());
            assertEquals("alice", due.getSenderId());
            assertEquals(1, due.getMessages());
            assertEquals(sent.truncatedTo(ChronoUnit.MILLIS), due.getSentAt());
            // stream time there came from the ticks, stamped by the wall clock: not before the grace was over
            assertTrue(!due.getDueAt().isBefore(sent.plus(GRACE).truncatedTo(ChronoUnit.MILLIS)),
                    "due at " + due.getDueAt() + ", sent at " + sent);
        }
    }
}
