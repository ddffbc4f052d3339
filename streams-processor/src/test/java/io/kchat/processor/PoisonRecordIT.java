package io.kchat.processor;

import static io.kchat.processor.KafkaTestClients.drain;
import static io.kchat.processor.KafkaTestClients.produce;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.SendMessage;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Health;
import io.kchat.processor.observability.ConversationMeters;
import io.kchat.processor.observability.DeadLetterMeters;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Poison records against a real broker, the processor wired as Main wires it: a record that cannot be decoded is
 * dead-lettered at once; a record whose processing always throws is processed again on a replaced stream thread until
 * its last attempt, then dead-lettered; and the records behind both are processed.
 *
 * <p>The failing record is an ordinary one made to fail without a hook in the processor: the meter registry's
 * refusal counter throws, so a send the conversation side refuses (a non-member's) throws while it is processed, as
 * a bug in that path would, before it has written any state.
 */
class PoisonRecordIT {

    private static final Duration WAIT = Duration.ofMinutes(2);
    private static final int ATTEMPTS = 3;

    @TempDir
    Path stateDir;

    @Test
    void undecodableAndAlwaysFailingRecordsAreDeadLetteredAndThoseBehindThemProcessed() throws Exception {
        String bootstrap = SharedInfrastructure.kafka().bootstrapServers();
        String prefix = SharedInfrastructure.uniquePrefix("poison");
        ProcessorConfig config = ProcessorConfig.fromEnv(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", bootstrap, "CHAT_TOPIC_PREFIX", prefix, "CHAT_STATE_DIR", stateDir.toString(),
                "PROCESSOR_MAX_RECORD_ATTEMPTS", Integer.toString(ATTEMPTS),
                // a replaced thread's tasks wait for the dead one's session to expire: shorter waits between attempts
                "PROCESSOR_SESSION_TIMEOUT_MS", "3000"));
        TopicCatalogue topics = new TopicCatalogue(prefix);
        Topic<String, InboundCommand> inbound = topics.inbound();
        ThrowingRefusals meters = new ThrowingRefusals();

        List<ConsumerRecord<String, ChatMessage>> messages = new ArrayList<>();
        List<ConsumerRecord<byte[], byte[]>> deadLetters = new ArrayList<>();
        try (ProcessorApp app = ProcessorApp.start(config, Duration.ofMinutes(1), meters, new Health());
             KafkaProducer<String, byte[]> raw = new KafkaProducer<>(Map.<String, Object>of(
                     ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
                     new StringSerializer(), new ByteArraySerializer());
             KafkaConsumer<String, ChatMessage> messageReader =
                     KafkaTestClients.consumer(bootstrap, topics.messages(), "read_committed");
             KafkaConsumer<byte[], byte[]> deadLetterReader =
                     KafkaTestClients.consumer(bootstrap, topics.processorDeadLetters(), "read_committed")) {
            produce(bootstrap, inbound, "c1", new InboundCommand("cmd-0", Instant.now(), new ConversationChanged(
                    ConversationEventKind.CREATED, "alice", null, new ConversationSnapshot("c1", ConversationType.DIRECT,
                    null, List.of(new Member("alice", MemberRole.OWNER), new Member("bob", MemberRole.MEMBER)), 1L, false, false, null))));
            RecordMetadata garbage = raw.send(new ProducerRecord<>(inbound.name(), "c1",
                    "not a record".getBytes(StandardCharsets.UTF_8))).get();
            InboundCommand refusedSend = new InboundCommand("cmd-poison", Instant.now(),
                    new SendMessage("id-0", "mallory", "mallory-phone", "let me in", null, null, List.of(), false));
            RecordMetadata poison = raw.send(new ProducerRecord<>(inbound.name(), "c1",
                    inbound.valueSerde().serializer().serialize(inbound.name(), refusedSend))).get();
            for (int i = 1; i <= 3; i++) {
                produce(bootstrap, inbound, "c1", new InboundCommand("cmd-" + i, Instant.now(),
                        new SendMessage("id-" + i, "alice", "alice-phone", "m" + i, null, null, List.of(), false)));
            }

            // the stream threads that die on the failing record are replaced: their exceptions fail no wait here
            await().dontCatchUncaughtExceptions().atMost(WAIT).until(() -> drain(messageReader, messages).size() >= 3);
            assertEquals(List.of(1L, 2L, 3L), messages.stream().map(r -> r.value().getSeq()).toList(),
                    "the sends behind both poison records, each once");
            await().dontCatchUncaughtExceptions().atMost(WAIT)
                    .until(() -> drain(deadLetterReader, deadLetters).size() >= 2);
            await().dontCatchUncaughtExceptions().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                    .until(() -> drain(deadLetterReader, deadLetters).size() == 2);

            ConsumerRecord<byte[], byte[]> undecodable = deadLetters.get(0);
            assertEquals(List.of(inbound.name(), Integer.toString(garbage.partition()), Long.toString(garbage.offset())),
                    source(undecodable));
            assertEquals("not a record", new String(undecodable.value(), StandardCharsets.UTF_8));

            ConsumerRecord<byte[], byte[]> failing = deadLetters.get(1);
            assertEquals(List.of(inbound.name(), Integer.toString(poison.partition()), Long.toString(poison.offset())),
                    source(failing));
            assertEquals(IllegalStateException.class.getName(), header(failing, "__streams.errors.exception"));
            assertEquals(ThrowingRefusals.MESSAGE, header(failing, "__streams.errors.message"));
            assertEquals(refusedSend, inbound.valueSerde().deserializer().deserialize(inbound.name(), failing.value()),
                    "the record as it was written, to be replayed once fixed");
            assertEquals("c1", new String(failing.key(), StandardCharsets.UTF_8));

            assertEquals(ATTEMPTS, meters.refusalsThrown.get(), "processed once per attempt, no more");
            assertEquals(1.0, meters.get(DeadLetterMeters.DEAD_LETTERED).tag("stage", "processing")
                    .tag("topic", inbound.name()).counter().count());
            assertTrue(meters.get(DeadLetterMeters.DEAD_LETTERED).tag("stage", "deserialization").counter().count() >= 1,
                    "counted when set aside: again each time an aborted transaction is processed again");
        }
    }

    private static List<String> source(ConsumerRecord<byte[], byte[]> deadLetter) {
        return List.of(header(deadLetter, "__streams.errors.topic"), header(deadLetter, "__streams.errors.partition"),
                header(deadLetter, "__streams.errors.offset"));
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    /** A registry whose refusal counter throws each time it is counted. */
    private static final class ThrowingRefusals extends SimpleMeterRegistry {

        static final String MESSAGE = "counting a refusal fails, as a bug would";
        final AtomicInteger refusalsThrown = new AtomicInteger();

        @Override
        protected Counter newCounter(Meter.Id id) {
            Counter counter = super.newCounter(id);
            if (!id.getName().equals(ConversationMeters.REFUSED)) {
                return counter;
            }
            return new Counter() {
                @Override
                public void increment(double amount) {
                    refusalsThrown.incrementAndGet();
                    throw new IllegalStateException(MESSAGE);
                }

                @Override
                public double count() {
                    return counter.count();
                }

                @Override
                public Id getId() {
                    return counter.getId();
                }
            };
        }
    }
}
