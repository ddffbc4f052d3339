package io.kchat.gateway.messages;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.conversations.Conversation;
import io.kchat.gateway.conversations.ConversationKind;
import io.kchat.gateway.conversations.ConversationStore;
import io.kchat.gateway.conversations.Membership;
import io.kchat.gateway.conversations.Role;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.ProblemCode;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.TopicCatalogue;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP send when Kafka does not acknowledge: 503, and no answer before the acknowledgement. */
class SendPublishIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private Database database;
    private MessageService service;

    @BeforeEach
    void start() {
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase("SendPublishIT"), postgres.user(),
                postgres.password(), 2);
        service = new MessageService(database, new EventPublisher<>(producer, TopicCatalogue.DEFAULT.inbound()), 100,
                new SendRules(new CiphertextParser(EncryptionLimits.DEFAULT), new ContentCheck(database)),
                Duration.ofSeconds(10), new MutableClock(NOW));
        UserStore users = new UserStore();
        ConversationStore conversations = new ConversationStore();
        Conversation group = new Conversation("c1", ConversationKind.GROUP, "t",
                List.of(new Membership("u1", Role.OWNER)), 1, NOW, NOW, false);
        database.inTransaction(connection -> {
            users.insert(connection, new UserProfile("u1", "one", "One"), NOW);
            conversations.insert(connection, group, null);
            conversations.insertMembers(connection, group);
            return null;
        });
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void aFailedPublishIs503() {
        CompletableFuture<Void> call = CompletableFuture.runAsync(() -> service.send("u1", "d1", "c1", "m1", "hi", null));

        await().until(() -> producer.errorNext(new TimeoutException("broker unreachable")));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        ApiException e = ApiException.of(assertInstanceOf(Refusal.class, failed.getCause()));
        assertEquals(503, e.status());
        assertEquals(ProblemCode.INTERNAL, e.code());
    }

    @Test
    void answersOnlyAfterTheAcknowledgement() throws Exception {
        CompletableFuture<Void> call = CompletableFuture.runAsync(() -> service.send("u1", "d1", "c1", "m1", "hi", null));

        await().until(() -> producer.history().size() == 1);
        assertFalse(call.isDone(), "no answer while Kafka has not acknowledged");
        assertTrue(producer.completeNext());

        call.get(10, TimeUnit.SECONDS);
        assertEquals("c1", new String(producer.history().getFirst().key()));
        InboundCommand command = AvroSerde.of(InboundCommand.class).decode(producer.history().getFirst().value());
        assertEquals(new SendMessage("m1", "u1", "d1", "hi", null, null, List.of(), false), command.getCommand());
        assertEquals(NOW, command.getIngestTime());
    }
}
