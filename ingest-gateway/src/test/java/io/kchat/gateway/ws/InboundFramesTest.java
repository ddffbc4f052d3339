package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.observability.GatewayMetrics;
import io.kchat.schemas.TopicCatalogue;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/** From text to command: bounded messages, authentication first, sends counted until answered, none while draining. */
class InboundFramesTest {

    private static final TopicCatalogue TOPICS = new TopicCatalogue("frames.");
    private static final String SEND = "{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"m1\",\"conversationId\":\"c1\","
            + "\"body\":\"hi\"}";
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ManualTimers timers = new ManualTimers();
    /** Sends are acknowledged when the test says so. */
    private final MockProducer<byte[], byte[]> producer =
            new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
    private final GatewayMetrics metrics = new GatewayMetrics(new SimpleMeterRegistry(), timers.clock());
    private final RecordingSocket socket = new RecordingSocket(false);
    private final ClientSession session = new ClientSession(
            new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16, metrics);
    private final InboundFrames frames = frames(1024);

    @Test
    void aFrameBeforeAuthenticationIsAnsweredAndNotPublished() {
        frames.text(session, SEND, true);

        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        assertEquals("{\"type\":\"error\",\"ref\":\"r1\",\"code\":\"bad_request\","
                + "\"message\":\"authenticate first with an auth frame\"}", socket.texts.getFirst());
        assertEquals(List.of(), producer.history());
    }

    @Test
    void aSendIsInFlightUntilTheBrokerAcknowledgedItThenOkd() {
        authenticate();
        frames.text(session, SEND, true);

        assertEquals(1, producer.history().size());
        assertEquals(1, session.framesInFlight(), "a drain waits for it");
        producer.completeNext();
        assertEquals(0, session.framesInFlight());
        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        assertEquals("{\"type\":\"ok\",\"ref\":\"r1\",\"id\":\"m1\"}", socket.texts.getFirst());
    }

    @Test
    void whileTheNodeDrainsASendIsRefusedButAPingIsAnswered() {
        authenticate();
        session.stopTakingFrames();

        frames.text(session, SEND, true);
        frames.text(session, "{\"type\":\"ping\",\"ref\":\"p1\"}", true);

        assertEquals(List.of(), producer.history());
        await().atMost(WAIT).until(() -> socket.texts.size() == 2);
        assertEquals("{\"type\":\"error\",\"ref\":\"r1\",\"id\":\"m1\",\"code\":\"internal\","
                + "\"message\":\"server going away: send it again after reconnecting\"}", socket.texts.get(0));
        assertEquals("{\"type\":\"pong\",\"ref\":\"p1\"}", socket.texts.get(1));
    }

    @Test
    void aMessageGrownPastTheLimitThroughItsFragmentsCloses1009() {
        InboundFrames small = frames(16);
        small.text(session, "{\"type\":\"ping\",", false);
        small.text(session, "\"ref\":\"p1\"}", true);

        assertTrue(session.isClosing());
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.TOO_BIG).equals(socket.closeCode));
        assertEquals(List.of(), socket.texts);
    }

    @Test
    void aBinaryMessageIsRefused() {
        frames.binary(session, false);
        frames.binary(session, true);

        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        assertEquals("{\"type\":\"error\",\"code\":\"bad_request\",\"message\":\"frames are JSON text\"}",
                socket.texts.getFirst());
    }

    private void authenticate() {
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), Instant.MAX, null, null);
    }

    private InboundFrames frames(int maxFrameBytes) {
        ConnectionLimits limits = ConnectionLimits.defaults();
        ClientCommands commands = new ClientCommands(new EventPublisher<>(producer, TOPICS.inbound()),
                new EventPublisher<>(producer, TOPICS.userInbound()), new EventPublisher<>(producer, TOPICS.typing()),
                new EventPublisher<>(producer, TOPICS.assistantControl()), (conversationId, userId) -> true, (conversationId, userId, deviceId, sealed) -> { }, metrics,
                timers.clock());
        return new InboundFrames(new MessageAssembler(maxFrameBytes),
                new FrameRateLimits(limits, new KeyedRateLimiter<>(limits.perUser(), 100, timers.clock()),
                        timers.clock()), new ClientFrameParser(1000), commands,
                new AuthFrames(token -> null, metrics, (opening, device, ref) -> CompletableFuture.completedFuture(null)),
                metrics);
    }
}
