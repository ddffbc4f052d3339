package io.kchat.assistant.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.assistant.AnswerSettings;
import io.kchat.assistant.AssistantConfig;
import io.kchat.assistant.AssistantService;
import io.kchat.assistant.Main;
import io.kchat.assistant.model.ChatTurn;
import io.kchat.assistant.model.ChatTurn.Role;
import io.kchat.events.AssistantStop;
import io.kchat.events.AssistantStream;
import io.kchat.events.ChatMessage;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.observability.Correlation;
import io.kchat.observability.Health;
import io.kchat.schemas.AssistantUser;
import io.kchat.schemas.Topic;
import io.kchat.schemas.TopicCatalogue;
import io.kchat.schemas.TopicProvisioner;
import io.kchat.assistant.model.ModelClientConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The worker on a real broker and database, with a scripted model: questions are ChatMessages written to chat.messages
 * (and archived first, as the delivery-service would), answers are read from chat.inbound and the stream from
 * chat.assistant-stream. One group for the class: every test leaves every question answered and committed.
 */
class AssistantWorkerIT {

    private static final String BOOTSTRAP = SharedInfrastructure.kafka().bootstrapServers();
    private static final String ALICE = "alice";
    private static final String BOB = "bob";
    private static final String CAROL = "carol";

    private static TopicCatalogue catalogue;
    private static ArchiveDatabase database;
    private static AssistantConfig config;
    private static Admin admin;
    private static KafkaProducer<byte[], byte[]> producer;
    private static Records<InboundCommand> inbound;
    private static Records<AssistantStream> stream;

    @BeforeAll
    static void setUp() {
        String prefix = SharedInfrastructure.uniquePrefix("AssistantWorkerIT");
        database = ArchiveDatabase.fresh("AssistantWorkerIT");
        database.users(ALICE, BOB, CAROL);
        config = AssistantConfig.of(BOOTSTRAP, prefix, database.settings())
                .withModel(ModelClientConfig.of(URI.create("http://127.0.0.1:9/v1"), "scripted"));
        catalogue = config.catalogue();
        admin = Admin.create(config.adminProperties());
        producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, BOOTSTRAP),
                new ByteArraySerializer(), new ByteArraySerializer());
        new TopicProvisioner(admin, (short) 1).ensure(catalogue.shared());
        inbound = new Records<>(BOOTSTRAP, catalogue.inbound());
        stream = new Records<>(BOOTSTRAP, catalogue.assistantStream());
    }

    @AfterAll
    static void tearDown() {
        stream.close();
        inbound.close();
        producer.close();
        admin.close();
        database.close();
    }

    /** What every test leaves: each question answered and every partition committed to its end. */
    @AfterEach
    void everythingIsCommitted() {
        awaitCommittedToEnd();
    }

    @Test
    void answersAQuestionOnceFromItsContextAndStreamsTheAnswerEndingWithDone() {
        ScriptedModel model = new ScriptedModel(false);
        database.conversation("a-ctx", "assistant", ALICE, AssistantUser.ID);
        database.archived("a-ctx", 1, ALICE, "Hi", false);
        database.archived("a-ctx", 2, AssistantUser.ID, "Hello! How can I help?", false);
        database.archived("a-ctx", 3, AssistantUser.ID, ScriptedModel.FAILURE, true);
        try (AssistantService ignored = start(model, config)) {
            ask("a-ctx", 4, ALICE, "What is Kafka?", Instant.now());

            ConsumerRecord<String, InboundCommand> record = inbound.awaitMatching(answerIn("a-ctx"), 1).getFirst();
            SendMessage answer = (SendMessage) record.value().getCommand();
            assertEquals("a-ctx", record.key());
            assertEquals(AssistantUser.answerClientId(4), answer.getClientId());
            assertEquals(AssistantUser.ID, answer.getSenderId());
            assertEquals(AssistantUser.DEVICE_ID, answer.getDeviceId());
            assertEquals(4L, answer.getReplyTo());
            assertEquals(ScriptedModel.answerTo("What is Kafka?"), answer.getBody());
            assertFalse(answer.getFailed());
            assertNull(answer.getCiphertext());
            assertTrue(answer.getAttachments().isEmpty());
            assertFalse(record.value().getCommandId().isBlank());
            assertEquals("corr-a-ctx-4", Correlation.of(record.headers()));

            assertEquals(List.of(new ChatTurn(Role.SYSTEM, AnswerSettings.DEFAULT_SYSTEM_PROMPT),
                    new ChatTurn(Role.USER, "Hi"), new ChatTurn(Role.ASSISTANT, "Hello! How can I help?"),
                    new ChatTurn(Role.USER, "What is Kafka?")), model.contexts.getFirst());

            List<AssistantStream> parts = awaitStreamDone("a-ctx", 4);
            assertTrue(parts.getLast().getDone());
            assertEquals(answer.getBody().length(), parts.getLast().getOffset());
            StringBuilder joined = new StringBuilder();
            for (AssistantStream part : parts.subList(0, parts.size() - 1)) {
                assertEquals(joined.length(), part.getOffset());
                assertEquals(ALICE, part.getUserId());
                joined.append(part.getDelta());
            }
            assertEquals(answer.getBody(), joined.toString());
            awaitCommittedToEnd();
            assertEquals(1, inbound.matching(answerIn("a-ctx")).size());
        }
    }

    @Test
    void answersTheQuestionsOfAConversationInOrderAndIgnoresEverythingElse() {
        ScriptedModel model = new ScriptedModel(false);
        database.conversation("a-order", "assistant", BOB, AssistantUser.ID);
        database.conversation("g-other", "group", ALICE, BOB);
        try (AssistantService ignored = start(model, config)) {
            ask("a-order", 1, BOB, "first", Instant.now());
            ask("a-order", 2, BOB, "second", Instant.now());
            ask("a-order", 3, BOB, "third", Instant.now());
            ask("g-other", 1, ALICE, "hello group", Instant.now());
            ask("a-order", 4, AssistantUser.ID, "an answer of the assistant's own", Instant.now());

            List<SendMessage> answers = inbound.awaitMatching(answerIn("a-order"), 3).stream()
                    .map(r -> (SendMessage) r.value().getCommand()).toList();
            assertEquals(List.of(1L, 2L, 3L), answers.stream().map(SendMessage::getReplyTo).toList());
            assertEquals(List.of(ScriptedModel.answerTo("first"), ScriptedModel.answerTo("second"),
                    ScriptedModel.answerTo("third")), answers.stream().map(SendMessage::getBody).toList());
            // the earlier questions are in the later ones' context, in order
            assertEquals(List.of("first", "second", "third"),
                    model.contexts.stream().map(turns -> turns.getLast().content()).toList());
            assertEquals(new ChatTurn(Role.USER, "first"), model.contexts.get(1).get(1));
            assertEquals(1, model.mostAtOnce.get());

            awaitCommittedToEnd();
            assertTrue(inbound.matching(answerIn("g-other")).isEmpty());
            assertEquals(3, inbound.matching(answerIn("a-order")).size());
            assertEquals(3, model.contexts.size());
        }
    }

    @Test
    void waitsBrieflyForTheArchiveToHoldTheMessageBeforeTheQuestion() {
        ScriptedModel model = new ScriptedModel(false);
        database.conversation("a-wait", "assistant", BOB, AssistantUser.ID);
        try (AssistantService ignored = start(model, config)) {
            ChatMessage question = ChatMessage.newBuilder().setConversationId("a-wait").setSeq(2)
                    .setMessageId("a-wait:2").setClientId("c2").setSenderId(BOB).setSenderDeviceId("d")
                    .setBody("And now?").setTs(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
            send(catalogue.messages(), "a-wait", question);
            // the delivery-service archives the message before the question only now
            database.archived("a-wait", 1, BOB, "Earlier question", false);

            inbound.awaitMatching(answerIn("a-wait"), 1);
            assertEquals(List.of(new ChatTurn(Role.SYSTEM, AnswerSettings.DEFAULT_SYSTEM_PROMPT),
                    new ChatTurn(Role.USER, "Earlier question"), new ChatTurn(Role.USER, "And now?")),
                    model.contexts.getFirst());
            awaitCommittedToEnd();
        }
    }

    @Test
    void aModelFailureGivesOneFailedAnswer() {
        database.conversation("a-fail", "assistant", ALICE, AssistantUser.ID);
        try (AssistantService ignored = start(new ScriptedModel(false), config)) {
            ask("a-fail", 1, ALICE, "fail please", Instant.now());

            SendMessage answer = (SendMessage) inbound.awaitMatching(answerIn("a-fail"), 1).getFirst().value().getCommand();
            assertTrue(answer.getFailed());
            assertEquals(ScriptedModel.FAILURE, answer.getBody());
            assertEquals(AssistantUser.answerClientId(1), answer.getClientId());
            awaitCommittedToEnd();
            assertEquals(1, inbound.matching(answerIn("a-fail")).size());
        }
    }

    @Test
    void questionsOverTheUsersRateGetAFailedAnswerWithoutTheModel() {
        ScriptedModel model = new ScriptedModel(false);
        database.conversation("a-rate", "assistant", CAROL, AssistantUser.ID);
        try (AssistantService ignored = start(model, config.withAnswers(AnswerSettings.DEFAULTS.withUserRate(2)))) {
            for (long seq = 1; seq <= 3; seq++) {
                ask("a-rate", seq, CAROL, "question " + seq, Instant.now());
            }

            List<SendMessage> answers = inbound.awaitMatching(answerIn("a-rate"), 3).stream()
                    .map(r -> (SendMessage) r.value().getCommand()).toList();
            assertEquals(List.of(false, false, true), answers.stream().map(SendMessage::getFailed).toList());
            assertTrue(answers.get(2).getBody().contains("ask again shortly"), answers.get(2).getBody());
            assertEquals(2, model.contexts.size());
            awaitCommittedToEnd();
        }
    }

    @Test
    void aQuestionTooOldGetsAFailedAnswerSayingTheAssistantWasUnavailable() {
        ScriptedModel model = new ScriptedModel(false);
        database.conversation("a-old", "assistant", ALICE, AssistantUser.ID);
        try (AssistantService ignored = start(model, config)) {
            ask("a-old", 1, ALICE, "anyone there?", Instant.now().minus(Duration.ofMinutes(20)));

            SendMessage answer = (SendMessage) inbound.awaitMatching(answerIn("a-old"), 1).getFirst().value().getCommand();
            assertTrue(answer.getFailed());
            assertTrue(answer.getBody().contains("unavailable"), answer.getBody());
            assertTrue(model.contexts.isEmpty());
            awaitCommittedToEnd();
        }
    }

    @Test
    void aStopByTheAskerPostsThePartialText() {
        database.conversation("a-stop", "assistant", ALICE, AssistantUser.ID);
        try (AssistantService ignored = start(new ScriptedModel(false), config)) {
            ask("a-stop", 1, ALICE, "block until stopped", Instant.now());
            stream.awaitMatching(r -> r.value().getConversationId().equals("a-stop"), 1);

            send(catalogue.assistantControl(), "a-stop", new AssistantStop("a-stop", ALICE, 1L, Instant.now()));

            SendMessage answer = (SendMessage) inbound.awaitMatching(answerIn("a-stop"), 1).getFirst().value().getCommand();
            assertEquals(ScriptedModel.PARTIAL, answer.getBody());
            assertFalse(answer.getFailed());
            List<AssistantStream> parts = awaitStreamDone("a-stop", 1);
            assertEquals(List.of(ScriptedModel.PARTIAL, ""), parts.stream().map(AssistantStream::getDelta).toList());
            awaitCommittedToEnd();
        }
    }

    @Test
    void aWorkerClosedMidAnswerLeavesTheQuestionUncommittedAndTheNextAnswersItWithTheSameClientId() throws Exception {
        database.conversation("a-crash", "assistant", ALICE, AssistantUser.ID);
        String later = samePartitionAs("a-crash");
        database.conversation(later, "assistant", ALICE, AssistantUser.ID);
        RecordMetadata blocked;
        try (AssistantService ignored = start(new ScriptedModel(false), config)) {
            blocked = ask("a-crash", 1, ALICE, "block the first worker", Instant.now());
            stream.awaitMatching(r -> r.value().getConversationId().equals("a-crash"), 1);
            // answered after it, in the same partition: its ack must not move the commit past the blocked question
            ask(later, 1, ALICE, "a later question", Instant.now());
            inbound.awaitMatching(answerIn(later), 1);
            // its stream ends once the worker has the answer's ack
            awaitStreamDone(later, 1);
        }
        TopicPartition partition = new TopicPartition(blocked.topic(), blocked.partition());
        assertEquals(blocked.offset(), committed().get(partition).offset());
        assertTrue(inbound.matching(answerIn("a-crash")).isEmpty());

        try (AssistantService ignored = start(new ScriptedModel(true), config)) {
            SendMessage answer = (SendMessage) inbound.awaitMatching(answerIn("a-crash"), 1).getFirst().value().getCommand();
            assertEquals(AssistantUser.answerClientId(1), answer.getClientId());
            assertEquals(ScriptedModel.answerTo("block the first worker"), answer.getBody());
            List<AssistantStream> parts = awaitStreamDone("a-crash", 1);
            assertEquals(ScriptedModel.PARTIAL, parts.getFirst().getDelta());
            // the second worker's answer streams from the start again
            assertEquals(0, parts.get(1).getOffset());
            awaitCommittedToEnd();
            assertEquals(1, inbound.matching(answerIn("a-crash")).size());
            // the later question was read again and answered again: under the same id, which the processor keeps once
            assertTrue(inbound.matching(answerIn(later)).stream().map(r -> ((SendMessage) r.value().getCommand())
                    .getClientId()).allMatch(AssistantUser.answerClientId(1)::equals));
        }
    }

    private static AssistantService start(ScriptedModel model, AssistantConfig workerConfig) {
        return Main.start(workerConfig, (c, clock) -> model, new SimpleMeterRegistry(), new Health());
    }

    /** A question archived (as the delivery-service would) and written to chat.messages. */
    private static RecordMetadata ask(String conversationId, long seq, String senderId, String body, Instant ts) {
        database.archived(conversationId, seq, senderId, body, false);
        ChatMessage message = ChatMessage.newBuilder().setConversationId(conversationId).setSeq(seq)
                .setMessageId(conversationId + ":" + seq).setClientId("c" + seq).setSenderId(senderId)
                .setSenderDeviceId("d").setBody(body).setTs(ts.truncatedTo(ChronoUnit.MILLIS)).build();
        return send(catalogue.messages(), conversationId, message);
    }

    private static <V> RecordMetadata send(Topic<String, V> topic, String key, V value) {
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic.name(),
                key.getBytes(StandardCharsets.UTF_8), topic.valueSerde().serializer().serialize(topic.name(), value));
        Correlation.put(record.headers(), "corr-" + key + "-" + (value instanceof ChatMessage m ? m.getSeq() : 0));
        try {
            return producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.function.Predicate<ConsumerRecord<String, InboundCommand>> answerIn(String conversation) {
        return r -> r.key().equals(conversation) && r.value().getCommand() instanceof SendMessage;
    }

    private static List<AssistantStream> streamOf(String conversationId, long replyTo) {
        return stream.poll().stream().map(ConsumerRecord::value)
                .filter(p -> p.getConversationId().equals(conversationId) && p.getReplyTo() == replyTo).toList();
    }

    private static List<AssistantStream> awaitStreamDone(String conversationId, long replyTo) {
        await().atMost(Records.TIMEOUT).until(() -> streamOf(conversationId, replyTo).stream()
                .anyMatch(AssistantStream::getDone));
        return streamOf(conversationId, replyTo);
    }

    /** A conversation id whose records go to the same chat.messages partition as {@code conversationId}'s. */
    private static String samePartitionAs(String conversationId) {
        int partitions = catalogue.messages().partitions();
        int target = partitionOf(conversationId, partitions);
        for (int i = 0; ; i++) {
            String candidate = "a-later-" + i;
            if (partitionOf(candidate, partitions) == target) {
                return candidate;
            }
        }
    }

    private static int partitionOf(String key, int partitions) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed() throws Exception {
        return admin.listConsumerGroupOffsets(config.groupId()).partitionsToOffsetAndMetadata().get();
    }

    private static void awaitCommittedToEnd() {
        List<TopicPartition> partitions = java.util.stream.IntStream.range(0, catalogue.messages().partitions())
                .mapToObj(p -> new TopicPartition(catalogue.messages().name(), p)).toList();
        await().atMost(Records.TIMEOUT).until(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = committed();
            var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(Function.identity(),
                    p -> OffsetSpec.latest()))).all().get();
            return ends.entrySet().stream().allMatch(e -> e.getValue().offset() == 0
                    || (committed.get(e.getKey()) != null
                    && committed.get(e.getKey()).offset() == e.getValue().offset()));
        });
    }
}
