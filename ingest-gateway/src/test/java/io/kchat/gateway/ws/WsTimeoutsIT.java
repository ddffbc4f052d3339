package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint's timers over real sockets, with short settings: no auth frame in time (4002) and idle (4008).
 * The server pings a quiet client halfway through the idle timeout, so only a client that answers nothing is idle.
 */
class WsTimeoutsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration AUTH_TIMEOUT = Duration.ofMillis(700);
    private static final Duration IDLE_TIMEOUT = Duration.ofMillis(1500);
    private static final long WAIT_MS = WsTestClient.WAIT.toMillis();

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("WsTimeoutsIT", config -> config.withAuthTimeout(AUTH_TIMEOUT)
                .withConnectionLimits(config.limits().withIdleTimeout(IDLE_TIMEOUT)));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void noAuthFrameWithinTheTimeoutCloses4002() throws Exception {
        long start = System.nanoTime();
        WsTestClient client = fixture.connect(null);
        assertEquals(CloseCodes.AUTH_TIMEOUT, client.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
        long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertTrue(elapsed >= AUTH_TIMEOUT.toMillis(), "closed after " + elapsed + " ms");
    }

    @Test
    void anAuthFrameInTimeKeepsTheSocketPastTheTimeout() throws Exception {
        WsTestClient client = fixture.connect(null);
        client.send("{\"type\":\"auth\",\"ref\":\"a\",\"token\":\"token-in-time\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"a\"}"), client.next());
        Thread.sleep(AUTH_TIMEOUT.toMillis() * 2);
        assertNull(client.closeCode.getNow(null));
        client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"p\"}"), client.next());
        client.closeNormally();
    }

    @Test
    void aClientThatAnswersNothingIsPingedThenClosed4008() throws Exception {
        try (RawWsClient client = RawWsClient.connect(fixture.port(), "token-silent", 0)) {
            long start = System.nanoTime();
            String sessionId = fixture.awaitUserCommand("user-silent", SessionOpened.class).getSessionId();
            AtomicInteger pings = new AtomicInteger();
            int code = client.readUntilClose(frame -> {
                if (frame.opcode() == RawWsClient.PING) {
                    pings.incrementAndGet(); // and not answered
                }
            });
            long elapsed = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(CloseCodes.IDLE, code);
            assertTrue(pings.get() >= 1, "pinged before being given up");
            assertTrue(elapsed >= IDLE_TIMEOUT.toMillis() - 100, "closed after " + elapsed + " ms");
            assertEquals(sessionId, fixture.awaitUserCommand("user-silent", SessionClosed.class).getSessionId());
        }
    }

    @Test
    void aQuietClientThatAnswersPingsStaysOpen() throws Exception {
        WsTestClient client = fixture.connect("token-quiet"); // the JDK client answers pings by itself
        Thread.sleep(IDLE_TIMEOUT.toMillis() * 3);
        assertNull(client.closeCode.getNow(null), "a pong is something heard");
        client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"p\"}"), client.next());
        client.closeNormally();
    }

    @Test
    void aClientThatSendsFramesStaysOpen() throws Exception {
        try (RawWsClient client = RawWsClient.connect(fixture.port(), "token-chatty", 0)) {
            // never answers pings, but its frames count
            for (int i = 0; i < 6; i++) {
                Thread.sleep(IDLE_TIMEOUT.toMillis() / 2);
                client.sendText("{\"type\":\"ack\",\"userSeq\":0}");
            }
            client.sendText("{\"type\":\"ping\",\"ref\":\"still here\"}");
            RawWsClient.Frame frame;
            do {
                frame = client.nextFrame();
            } while (frame.opcode() == RawWsClient.PING);
            assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"still here\"}"), JSON.readTree(frame.text()));
        }
    }
}
