package io.kchat.delivery;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.AssistantStream;
import io.kchat.events.Delivery;
import io.kchat.events.SessionRoute;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay of the assistant's answers as they are written (D10, D15) on a real broker and database. ann asks in her
 * assistant conversation a1; ben shares the group g1 with her. Sessions: ann a1@node-a, a2@node-b and a3@node-c (which
 * has no egress topic); ben b1@node-a.
 */
class AssistantStreamRelayIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();

    private static TopicCatalogue catalogue;
    private static TestDatabase database;
    private static DeliveryConfig config;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;

    @BeforeAll
    static void setUp() {
        String prefix = SharedInfrastructure.uniquePrefix("AssistantStreamRelayIT");
        catalogue = new TopicCatalogue(prefix);
        database = TestDatabase.fresh("AssistantStreamRelayIT");
        config = DeliveryConfig.of(BOOTSTRAP, prefix, database.settings()).withGroupId(prefix + "delivery");
        admin = Admin.create(config.adminProperties());
        new TopicProvisioner(admin, (short) 1).ensure(Stream.concat(catalogue.shared().stream(),
                Stream.of(catalogue.egress("node-a"), catalogue.egress("node-b"))).toList());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                new ByteArraySerializer(), new ByteArraySerializer());
        database.users("ann", "ben");
        database.conversation("a1", "ann", AssistantUser.ID);
        database.execute("UPDATE conversations SET type = 'assistant' WHERE conversation_id = 'a1'");
        database.conversation("g1", "ann", "ben");
        for (String node : List.of("node-a", "node-b", "node-c")) {
            database.node(node, "i1", 0);
        }
        database.session("a1", "ann", "node-a", "i1");
        database.session("a2", "ann", "node-b", "i1");
        database.session("a3", "ann", "node-c", "i1");
        database.session("b1", "ben", "node-a", "i1");
    }

    @AfterAll
    static void tearDown() {
        producer.close();
        admin.close();
        database.close();
    }

    @Test
    void everyFreshPartReachesTheAskersSessionsInOrderAndNobodyElse() throws Exception {
        try (DeliveryService ignored = Main.start(config);
             TopicReader<Delivery> nodeA = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-a"));
             TopicReader<Delivery> nodeB = new TopicReader<>(BOOTSTRAP, catalogue.egress("node-b"))) {
            // a new group starts at the end of the topic: write to a1's partition until the relay reads it
            await().atMost(TopicReader.TIMEOUT).until(() -> {
                send(part(0, 0, "probe", false, Instant.now()));
                return nodeA.poll().stream().anyMatch(answerTo(0));
            });

            Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
            Instant stale = now.minus(Duration.ofMinutes(2));
            List<AssistantStream> relayed = new ArrayList<>();
            int offset = 0;
            for (int i = 0; i < 40; i++) {
                String delta = "part " + i + ". ";
                AssistantStream part = part(1, offset, delta, false, now.plusMillis(i));
                send(part);
                relayed.add(part);
                offset += delta.length();
                if (i == 20) {
                    // written long ago (the relay lagged): the answer's message may be there already
                    send(part(1, offset, "late", false, stale));
                }
            }
            // an end of stream passes however old: it only ends what the client shows
            AssistantStream done = part(1, offset, "", true, stale);
            send(done);
            relayed.add(done);

            // the end of the stream, last of a1's partition, is there: so is everything before it that was relayed
            nodeA.awaitMatching(r -> r.value().getItem().equals(done), 1);
            nodeB.awaitMatching(r -> r.value().getItem().equals(done), 1);
            assertEquals(deliveries(relayed, "node-a", "a1"), values(nodeA.poll(), answerTo(1)));
            assertEquals(deliveries(relayed, "node-b", "a2"), values(nodeB.poll(), answerTo(1)));
            List<ConsumerRecord<String, Delivery>> all = Stream.concat(nodeA.poll().stream(), nodeB.poll().stream())
                    .filter(r -> r.value().getItem() instanceof AssistantStream).toList();
            assertTrue(all.stream().allMatch(r -> r.key().equals("ann") && r.value().getUserId().equals("ann")),
                    "only the person who asked gets the stream");
            assertFalse(admin.listTopics().names().get().contains(catalogue.egress("node-c").name()));
        }
    }

    private static AssistantStream part(long replyTo, int offset, String delta, boolean done, Instant at) {
        return new AssistantStream("a1", "ann", replyTo, offset, delta, done, at.truncatedTo(ChronoUnit.MILLIS));
    }

    private static Predicate<ConsumerRecord<String, Delivery>> answerTo(long replyTo) {
        return r -> r.value().getItem() instanceof AssistantStream s && s.getReplyTo() == replyTo;
    }

    private static List<Delivery> deliveries(List<AssistantStream> parts, String node, String session) {
        return parts.stream().map(p -> new Delivery("ann", List.of(new SessionRoute(node, session)), (Object) p))
                .toList();
    }

    private static List<Delivery> values(List<ConsumerRecord<String, Delivery>> records,
                                         Predicate<ConsumerRecord<String, Delivery>> filter) {
        return records.stream().filter(filter).map(ConsumerRecord::value).toList();
    }

    private static void send(AssistantStream part) {
        String topic = catalogue.assistantStream().name();
        producer.send(new ProducerRecord<>(topic, part.getConversationId().getBytes(StandardCharsets.UTF_8),
                catalogue.assistantStream().valueSerde().serializer().serialize(topic, part)));
    }
}
