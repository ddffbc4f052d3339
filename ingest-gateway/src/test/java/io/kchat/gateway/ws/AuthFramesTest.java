package io.kchat.gateway.ws;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.gateway.auth.tokens.AuthenticatedDevice;
import io.kchat.gateway.auth.tokens.InvalidTokenException;
import io.kchat.gateway.observability.GatewayMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The first auth frame opens the session; a later one of the same device extends it, of another is refused. */
class AuthFramesTest {

    private static final Instant EXPIRES = Instant.parse("2030-01-01T00:15:00Z");
    private static final Duration WAIT = Duration.ofSeconds(5);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final RecordingSocket socket = new RecordingSocket(false);
    private final ClientSession session = new ClientSession(
            new Outbound(socket, 16, Duration.ofHours(1), timers, () -> { }), 16,
            new GatewayMetrics(meters, Clock.systemUTC()));
    private final List<String> opened = new CopyOnWriteArrayList<>();
    private final CompletableFuture<Void> openAnswered = new CompletableFuture<>();
    /** {@code user:device:minutes} is that device of that user, valid for that many minutes past EXPIRES. */
    private final AuthFrames auth = new AuthFrames(token -> {
        String[] parts = token.split(":");
        if (parts.length != 3) {
            throw new InvalidTokenException("bad signature");
        }
        return new AuthenticatedDevice(parts[0], parts[1], EXPIRES.plus(Duration.ofMinutes(Long.parseLong(parts[2]))));
    }, new GatewayMetrics(meters, Clock.systemUTC()), (opening, device, ref) -> {
        opened.add(device.userId() + "/" + device.deviceId() + " " + ref);
        return openAnswered;
    });

    @AfterEach
    void stopTimers() {
        timers.shutdownNow();
    }

    @Test
    void theFirstAuthFrameOpensTheSessionAndIsAnsweredWhenItIsOpen() {
        CompletableFuture<?> answered = auth.handle(session, new ClientFrame.Auth("a1", "u1:d1:0"));

        assertEquals(List.of("u1/d1 a1"), opened);
        assertSame(openAnswered, answered, "a drain waits for the session's opening");
    }

    @Test
    void aTokenThatDoesNotVerifyCloses4001AndCountsAFailure() {
        assertTrue(auth.handle(session, new ClientFrame.Auth("a1", "forged")).isDone());

        assertEquals(List.of(), opened);
        await().atMost(WAIT).until(() -> Integer.valueOf(CloseCodes.AUTH_FAILED).equals(socket.closeCode));
        assertEquals(1, meters.get(GatewayMetrics.AUTH_FAILURES).tag("via", "ws").counter().count());
    }

    @Test
    void aFreshTokenOfTheSameDeviceMovesTheExpiry() {
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), EXPIRES, null, null);

        auth.handle(session, new ClientFrame.Auth("a2", "u1:d1:15"));

        assertEquals(EXPIRES.plus(Duration.ofMinutes(15)), session.expiresAt());
        assertEquals(List.of(), opened, "the session stays the one it was");
        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        assertEquals("{\"type\":\"ok\",\"ref\":\"a2\"}", socket.texts.getFirst());
    }

    @Test
    void aTokenOfAnotherDeviceIsRefusedAndChangesNothing() {
        session.authenticated(new SessionIdentity("u1", "d1", "s1"), EXPIRES, null, null);

        auth.handle(session, new ClientFrame.Auth("a2", "u1:d2:15"));

        assertEquals(EXPIRES, session.expiresAt());
        assertFalse(session.isClosing());
        await().atMost(WAIT).until(() -> socket.texts.size() == 1);
        assertEquals("{\"type\":\"error\",\"ref\":\"a2\",\"code\":\"forbidden\","
                + "\"message\":\"the token is for another user or device\"}", socket.texts.getFirst());
    }
}
