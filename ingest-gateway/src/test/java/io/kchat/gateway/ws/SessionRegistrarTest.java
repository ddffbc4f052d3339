package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.UserCommand;
import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** A session is registered, then its row written, then SessionOpened published; its end undoes what was done. */
class SessionRegistrarTest {

    private static final TopicCatalogue TOPICS = new TopicCatalogue("registrar.");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualTimers timers = new ManualTimers();
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), timers.clock());
    private final SessionRegistry registry = new SessionRegistry();
    private final RowsByHand directory = new RowsByHand();
    private final SessionRegistrar registrar = registrar(1);

    @Test
    void theRowIsWrittenBeforeSessionOpenedWhichAnswersTheAuthFrame() throws Exception {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket);
        CompletableFuture<?> answered = registrar.forConnection(connectionTimers()).open(session, device("d1"), "a1");

        assertEquals(1, registry.size());
        assertEquals(1, timers.pending(), "the token's expiry is watched once registered");
        assertEquals(List.of(), published(), "nothing before the row is written");
        assertFalse(answered.isDone());

        directory.row(session).complete(null);
        answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of("SessionOpened"), published());
        await().atMost(WAIT).until(() -> socket.texts.contains("{\"type\":\"ok\",\"ref\":\"a1\"}"));
    }

    @Test
    void aSocketEndingBeforeItsRowIsWrittenIsNeverAnnounced() throws Exception {
        ClientSession session = session(new RecordingSocket(false));
        SessionRegistrar.Registration registration = registrar.forConnection(connectionTimers());
        CompletableFuture<?> answered = registration.open(session, device("d1"), "a1");
        registration.end(session);

        directory.row(session).complete(null);
        answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        assertEquals(List.of(), published(), "neither SessionOpened nor SessionClosed");
        assertEquals(List.of(session.identity().sessionId()), directory.closed, "its row goes");
        assertEquals(0, registry.size());
    }

    @Test
    void theEndOfAnOpenedSessionIsPublishedAndThenItsRowGoes() throws Exception {
        ClientSession session = session(new RecordingSocket(false));
        SessionRegistrar.Registration registration = registrar.forConnection(connectionTimers());
        CompletableFuture<?> answered = registration.open(session, device("d1"), null);
        directory.row(session).complete(null);
        answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);

        registration.end(session);

        assertEquals(List.of("SessionOpened", "SessionClosed"), published());
        assertEquals(List.of(session.identity().sessionId()), directory.closed);
        assertEquals(0, registry.size());
    }

    @Test
    void aSocketPastItsUsersCapIsClosed4011AndNotRegistered() {
        registrar.forConnection(connectionTimers()).open(session(new RecordingSocket(false)), device("d1"), null);
        RecordingSocket second = new RecordingSocket(false);
        ClientSession refused = session(second);

        assertTrue(registrar.forConnection(connectionTimers()).open(refused, device("d2"), "a2").isDone());

        assertEquals(1, registry.size());
        assertEquals(1, timers.pending(), "only the first session's expiry is watched");
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.TOO_MANY_CONNECTIONS).equals(second.closeCode));
        assertEquals(1, directory.opened.size(), "the refused one gets no row");
    }

    @Test
    void aSessionWhoseRowCannotBeWrittenIsClosed1011AndNotAnnounced() throws Exception {
        RecordingSocket socket = new RecordingSocket(false);
        ClientSession session = session(socket);
        CompletableFuture<?> answered = registrar.forConnection(connectionTimers()).open(session, device("d1"), "a1");

        directory.row(session).completeExceptionally(new IllegalStateException("database down"));

        answered.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.INTERNAL).equals(socket.closeCode));
        assertEquals(List.of(), published());
    }

    private SessionRegistrar registrar(int maxConnectionsPerUser) {
        EventPublisher<String, UserCommand> userInbound = new EventPublisher<>(producer, TOPICS.userInbound());
        ClientCommands commands = new ClientCommands(new EventPublisher<>(producer, TOPICS.inbound()), userInbound,
                new EventPublisher<>(producer, TOPICS.typing()),
                new EventPublisher<>(producer, TOPICS.assistantControl()), (conversationId, userId) -> true,
                (conversationId, userId, deviceId, sealed) -> { }, metrics, timers.clock());
        return new SessionRegistrar(registry, maxConnectionsPerUser, directory,
                new SessionEvents(userInbound, "node-1", "incarnation-1", timers.clock()),
                new SessionCoalescers(commands, timers, Duration.ZERO, Duration.ZERO), timers.clock());
    }

    private ConnectionTimers connectionTimers() {
        return new ConnectionTimers(timers, timers.clock(), timers::nanoTime, Duration.ofSeconds(10),
                Duration.ofMinutes(2));
    }

    private ClientSession session(RecordingSocket socket) {
        return new ClientSession(new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16, metrics);
    }

    private static AuthenticatedDevice device(String deviceId) {
        return new AuthenticatedDevice("u1", deviceId, ManualTimers.START.plus(Duration.ofMinutes(15)));
    }

    /** The session commands on the user's partition, by type. */
    private List<String> published() {
        return producer.history().stream()
                .filter(record -> record.topic().equals(TOPICS.userInbound().name()))
                .map(record -> TOPICS.userInbound().valueSerde().deserializer()
                        .deserialize(record.topic(), record.value()).getCommand().getClass().getSimpleName())
                .toList();
    }

    /** A directory whose rows are written when the test says so. */
    private static final class RowsByHand implements SessionDirectory {
        final List<String> opened = new CopyOnWriteArrayList<>();
        final List<String> closed = new CopyOnWriteArrayList<>();
        private final Map<String, CompletableFuture<Void>> rows = new ConcurrentHashMap<>();

        CompletableFuture<Void> row(ClientSession session) {
            return rows.get(session.identity().sessionId());
        }

        @Override
        public CompletableFuture<Void> opened(String sessionId, String userId, String deviceId, Instant openedAt) {
            opened.add(sessionId);
            return rows.computeIfAbsent(sessionId, id -> new CompletableFuture<>());
        }

        @Override
        public String incarnation() {
            return "incarnation-1";
        }

        @Override
        public void closed(String sessionId) {
            closed.add(sessionId);
        }
    }
}
