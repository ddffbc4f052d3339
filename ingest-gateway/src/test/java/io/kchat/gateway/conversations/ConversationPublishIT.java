package io.kchat.gateway.conversations;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.InboundCommand;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.ApiException;
import io.kchat.gateway.http.ProblemCode;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.infra.SharedInfrastructure;
import io.kchat.schemas.AvroSerde;
import io.kchat.schemas.TopicCatalogue;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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

/** D1 when Kafka is not there: the creation is committed with its outbox row, the caller gets a 503. */
class ConversationPublishIT {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private Database database;
    private ConversationService service;

    @BeforeEach
    void start() {
        var postgres = SharedInfrastructure.postgres();
        database = Database.start(SharedInfrastructure.freshDatabase("ConversationPublishIT"), postgres.user(),
                postgres.password(), 2);
        service = new ConversationService(database, new EventPublisher<>(producer, TopicCatalogue.DEFAULT.inbound()),
                ConversationConfig.defaults(), new MutableClock(NOW));
        UserStore users = new UserStore();
        database.inTransaction(connection -> {
            users.insert(connection, new UserProfile("u1", "one", "One"), NOW);
            users.insert(connection, new UserProfile("u2", "two", "Two"), NOW);
            return null;
        });
    }

    @AfterEach
    void stop() {
        database.close();
    }

    @Test
    void aFailedPublishAnswers503ButTheOutboxKeepsTheCommand() {
        CompletableFuture<ConversationService.Created> call =
                CompletableFuture.supplyAsync(() -> service.createGroup("u1", "Team", List.of("u2"), false));

        await().until(() -> producer.errorNext(new TimeoutException("broker unreachable")));

        ExecutionException failed = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
        ApiException e = ApiException.of(assertInstanceOf(Refusal.class, failed.getCause()));
        assertEquals(503, e.status());
        assertEquals(ProblemCode.INTERNAL, e.code());
        Conversation saved = service.list("u2", "d2").getFirst().conversation();
        assertEquals("Team", saved.title());
        InboundCommand relayed = outbox(saved.conversationId());
        assertEquals(NOW, relayed.getIngestTime());
        assertEquals(saved.conversationId(), ConversationCommands.conversationId(relayed));
    }

    @Test
    void answersOnlyAfterTheAcknowledgement() throws Exception {
        CompletableFuture<ConversationService.Created> call =
                CompletableFuture.supplyAsync(() -> service.createDirect("u1", "u2", false));

        await().until(() -> producer.history().size() == 1);
        assertFalse(call.isDone(), "no answer while Kafka has not acknowledged");
        assertTrue(producer.completeNext());

        ConversationService.Created created = call.get(10, TimeUnit.SECONDS);
        assertTrue(created.created());
        assertEquals(created.conversation().conversationId(), new String(producer.history().getFirst().key()));
        assertEquals(outbox(created.conversation().conversationId()),
                AvroSerde.of(InboundCommand.class).decode(producer.history().getFirst().value()));
    }

    private InboundCommand outbox(String conversationId) {
        return database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT payload FROM outbox WHERE aggregate_id = ?")) {
                statement.setString(1, conversationId);
                try (ResultSet rows = statement.executeQuery()) {
                    rows.next();
                    return AvroSerde.of(InboundCommand.class).decode(rows.getBytes(1));
                }
            }
        });
    }
}
