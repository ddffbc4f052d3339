package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.events.ChatMessage;
import io.kchat.events.Delivery;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.processor.headers.Origin;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * D3 against a real broker: the user side acts on the conversation side's output before that output's
 * transaction commits, and when the transaction aborts and is replayed (D2: identically, same origins) each
 * event still reaches the user once, with one userSeq. A test producer plays the conversation side.
 */
class UncommittedUpstreamIT {

    @TempDir
    Path stateDir;

    @Test
    void theUserSideDeliversBeforeTheUpstreamCommitAndDropsTheReplayOfAnAbortedTransaction() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("uncommitted");
        ProcessorConfig config = KafkaTestClients.processorConfig(bootstrap, prefix, stateDir);
        TopicCatalogue topics = new TopicCatalogue(prefix);
        Topic<String, UserCommand> userInbound = topics.userInbound();

        KafkaTestClients.egressOf(bootstrap, topics, "node-a");
        List<ConsumerRecord<String, Delivery>> live = new ArrayList<>();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1));
             KafkaConsumer<String, Delivery> liveReader = KafkaTestClients.consumer(bootstrap, topics.egress("node-a"), "read_uncommitted");
             KafkaProducer<String, UserCommand> conversationSide = new KafkaProducer<>(Map.<String, Object>of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                     ProducerConfig.TRANSACTIONAL_ID_CONFIG, prefix + "conversation-side",
                     ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 120_000),
                     userInbound.keySerde().serializer(), userInbound.valueSerde().serializer())) {
            produce(bootstrap, userInbound, "bob",
                    new UserCommand(new SessionOpened("bob", "bob-phone", "s1", "node-a", Instant.now(), null)));
            await().atMost(Duration.ofSeconds(30)).until(() -> drain(liveReader, live).stream()
                    .anyMatch(r -> r.value().getItem() instanceof ReplayFinished));
            conversationSide.initTransactions();

            // the first attempt: delivered while its transaction is still open
            conversationSide.beginTransaction();
            conversationSide.send(fromConversationSide(userInbound, new Origin(0, 100, 0), 1)).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> messageSeqs(drain(liveReader, live)).equals(List.of(1L)));
            conversationSide.abortTransaction();

            // the replay of the same input, one step further, then the next transaction
            conversationSide.beginTransaction();
            conversationSide.send(fromConversationSide(userInbound, new Origin(0, 100, 0), 1));
            conversationSide.send(fromConversationSide(userInbound, new Origin(0, 101, 0), 2));
            conversationSide.commitTransaction();
            conversationSide.beginTransaction();
            conversationSide.send(fromConversationSide(userInbound, new Origin(0, 102, 0), 3));
            conversationSide.commitTransaction();

            await().atMost(Duration.ofSeconds(30)).until(() -> messageSeqs(drain(liveReader, live)).size() >= 3);
            assertEquals(List.of(1L, 2L, 3L), messageSeqs(live), "each message once, in order");
            assertEquals(List.of(1L, 2L, 3L), userSeqs(live), "one userSeq per message");

            // what the processor committed says the same
            List<ConsumerRecord<String, Delivery>> committed = new ArrayList<>();
            try (KafkaConsumer<String, Delivery> committedReader =
                         KafkaTestClients.consumer(bootstrap, topics.egress("node-a"), "read_committed")) {
                await().atMost(Duration.ofSeconds(30)).until(() -> messageSeqs(drain(committedReader, committed)).size() >= 3);
            }
            assertEquals(List.of(1L, 2L, 3L), messageSeqs(committed));
            assertEquals(List.of(1L, 2L, 3L), userSeqs(committed));
        }
    }

    private static ProducerRecord<String, UserCommand> fromConversationSide(Topic<String, UserCommand> userInbound,
                                                                           Origin origin, long seq) {
        RecordHeaders headers = new RecordHeaders();
        origin.stamp(headers);
        ChatMessage message = new ChatMessage("c1", seq, "c1:" + seq, "id-" + seq, "alice", "alice-phone", "m" + seq,
                Instant.now(), null, null, List.of(), false);
        return new ProducerRecord<>(userInbound.name(), null, "bob", new UserCommand(new UserEvent("bob", message)),
                headers);
    }

    private static List<LoggedEvent> logged(List<ConsumerRecord<String, Delivery>> records) {
        return records.stream().map(ConsumerRecord::value)
                .filter(d -> d.getItem() instanceof LoggedEvent).map(d -> (LoggedEvent) d.getItem()).toList();
    }

    private static List<Long> messageSeqs(List<ConsumerRecord<String, Delivery>> records) {
        return logged(records).stream().map(e -> ((ChatMessage) e.getEvent().getPayload()).getSeq()).toList();
    }

    private static List<Long> userSeqs(List<ConsumerRecord<String, Delivery>> records) {
        return logged(records).stream().map(LoggedEvent::getUserSeq).toList();
    }
}
