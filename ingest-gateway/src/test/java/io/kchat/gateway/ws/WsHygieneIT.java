package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.ChatMessage;
import io.kchat.events.InboundCommand;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SendMessage;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserEvent;
import io.kchat.gateway.json.Json;
import io.kchat.gateway.json.JsonSamples;
import io.kchat.gateway.limits.RateLimit;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue "accounts and hostile input", item 6, over real sockets: the Origin allow-list, the message size limit
 * (one frame and fragments), rate limits per connection and per user, the connection cap, replacement of a
 * device's socket, and a client that does not read. "Reaches nothing" is checked on the broker: a marker sent
 * afterwards to the same conversation (same partition) is read, and the refused frame's id is not before it.
 */
class WsHygieneIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MS = WsTestClient.WAIT.toMillis();
    private static final String ORIGIN = "https://chat.example";
    private static final int MAX_CONNECTIONS = 2;
    /** Rates slow enough that nothing refills during a test: only the bursts count. */
    private static final int CONNECTION_BURST = 10;
    private static final int USER_BURST = 15;
    private static final int REFUSALS = 3;
    private static final int QUEUE_FRAMES = 64;

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("WsHygieneIT", config -> config
                .withLimits(WsConfig.DEFAULT_MAX_BODY_CHARS, QUEUE_FRAMES)
                .withAllowedOrigins(Set.of(ORIGIN))
                .withConnectionLimits(config.limits()
                        .withMaxConnectionsPerUser(MAX_CONNECTIONS)
                        .withRates(new RateLimit(0.01, CONNECTION_BURST), new RateLimit(0.01, USER_BURST),
                                new RateLimit(0.01, REFUSALS))));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    /** Origins are compared normalised: case and the scheme's default port make no difference. */
    @ParameterizedTest
    @ValueSource(strings = {ORIGIN, "https://CHAT.example", "https://chat.example:443"})
    void anAllowedOriginConnects(String origin) throws Exception {
        WsTestClient client = fixture.connect("token-origin", origin);
        assertPong(client, "o");
        client.closeNormally();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://chat.example.evil", "http://chat.example", "https://chat.example:8443",
            "https://chat.example/", "null"})
    void anyOtherOriginIsRefusedWith403AtTheUpgrade(String origin) {
        CompletionException refused = assertThrows(CompletionException.class,
                () -> fixture.connect("token-origin", origin));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(403, handshake.getResponse().statusCode(), origin);
    }

    @Test
    void aFrameOverTheLimitCloses1009AndReachesNothing() throws Exception {
        String frame = padded("cid-big", "conv-size", WsConfig.DEFAULT_MAX_FRAME_BYTES + 1);
        assertEquals(WsConfig.DEFAULT_MAX_FRAME_BYTES + 1, frame.getBytes(StandardCharsets.UTF_8).length);
        // the raw client: one frame for certain (a client library might fragment a long message)
        try (RawWsClient client = RawWsClient.connect(fixture.port(), "token-big", 0)) {
            client.sendText(frame);
            assertEquals(1009, client.readUntilClose(ignored -> { }));
        }
        assertNotProduced("cid-big", "conv-size");
    }

    @Test
    void aFrameOfExactlyTheLimitIsRead() throws Exception {
        WsTestClient client = fixture.connect("token-edge");
        client.send(padded("cid-edge", "conv-edge", WsConfig.DEFAULT_MAX_FRAME_BYTES));
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"r\",\"id\":\"cid-edge\"}"), client.next());
        client.closeNormally();
    }

    @Test
    void fragmentsAddingUpPastTheLimitClose1009AndReachNothing() throws Exception {
        WsTestClient client = fixture.connect("token-frag");
        String message = padded("cid-frag", "conv-size", WsConfig.DEFAULT_MAX_FRAME_BYTES + 1);
        sendInFragments(client, message, 4); // each fragment well under the frame limit
        assertEquals(1009, client.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertNotProduced("cid-frag", "conv-size");
    }

    @Test
    void fragmentsWithinTheLimitAreJoinedAndProcessed() throws Exception {
        WsTestClient client = fixture.connect("token-frag-ok");
        sendInFragments(client, padded("cid-frag-ok", "conv-frag", WsConfig.DEFAULT_MAX_FRAME_BYTES - 100), 4);
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"r\",\"id\":\"cid-frag-ok\"}"), client.next());
        client.closeNormally();
    }

    @Test
    void aFrameOverAJsonLimitIsABadRequestAndTheSocketStaysOpen() throws Exception {
        WsTestClient client = fixture.connect("token-deep");
        client.send(JsonSamples.nested(Json.MAX_NESTING_DEPTH + 1));
        JsonNode refused = client.next();
        assertEquals("bad_request", refused.get("code").asText());
        assertTrue(refused.get("message").asText().contains("nesting depth"), refused.toString());
        client.send("{\"type\":\"ping\",\"ref\":\"n\",\"x\":" + JsonSamples.number(Json.MAX_NUMBER_CHARS + 1) + "}");
        assertEquals("bad_request", client.next().get("code").asText());
        assertPong(client, "still-open");
        client.closeNormally();
    }

    @Test
    void aConnectionOverItsRateIsRefusedFrameByFrameThenClosed1008() throws Exception {
        WsTestClient client = fixture.connect("token-rate-conn");
        for (int i = 0; i < CONNECTION_BURST; i++) {
            assertPong(client, "p" + i);
        }
        client.send(send("over", "cid-over", "conv-rate"));
        assertEquals(JSON.readTree("""
                {"type":"error","ref":"over","id":"cid-over","code":"rate_limited",
                 "message":"too many frames, slow down"}"""), client.next());
        assertNotProduced("cid-over", "conv-rate");

        for (int i = 1; i < REFUSALS; i++) {
            client.send("{\"type\":\"ping\",\"ref\":\"again" + i + "\"}");
            JsonNode refused = client.next();
            assertEquals("rate_limited", refused.get("code").asText());
            assertEquals("again" + i, refused.get("ref").asText());
        }
        assertNull(client.closeCode.getNow(null), "open while within its refusal allowance");
        client.send("{\"type\":\"ping\",\"ref\":\"last straw\"}");
        assertEquals("rate_limited", client.next().get("code").asText(), "answered before the close");
        assertEquals(1008, client.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void theSocketsOfOneUserShareItsRateAndOtherUsersAreUnaffected() throws Exception {
        WsTestClient phone = fixture.connect("token-rate-user@phone");
        WsTestClient laptop = fixture.connect("token-rate-user@laptop");
        WsTestClient someoneElse = fixture.connect("token-rate-other");
        int onPhone = USER_BURST / 2;
        for (int i = 0; i < onPhone; i++) {
            assertPong(phone, "ph" + i);
        }
        for (int i = onPhone; i < USER_BURST; i++) {
            assertPong(laptop, "lp" + i); // below the laptop's own burst: only the user's limit can refuse
        }
        laptop.send(send("over", "cid-user-over", "conv-rate-user"));
        JsonNode refused = laptop.next();
        assertEquals("rate_limited", refused.get("code").asText());
        assertEquals("cid-user-over", refused.get("id").asText());
        phone.send("{\"type\":\"ping\",\"ref\":\"phone again\"}");
        assertEquals("rate_limited", phone.next().get("code").asText(), "the user's budget is spent on every socket");

        assertPong(someoneElse, "unaffected");
        someoneElse.send(send("other", "cid-user-marker", "conv-rate-user"));
        assertEquals("ok", someoneElse.next().get("type").asText());
        List<ConsumerRecord<String, InboundCommand>> sends = fixture.readUntil(fixture.catalogue.inbound(),
                r -> r.value().getCommand() instanceof SendMessage s && s.getClientId().equals("cid-user-marker"));
        assertTrue(sends.stream().noneMatch(r -> isSend(r, "cid-user-over")), "the refused send was not produced");
        phone.closeNormally();
        laptop.closeNormally();
        someoneElse.closeNormally();
    }

    @Test
    void acksAreNotRateLimited() throws Exception {
        WsTestClient client = fixture.connect("token-acks");
        for (int i = 0; i < CONNECTION_BURST * 3; i++) {
            client.send("{\"type\":\"ack\",\"userSeq\":0}");
        }
        client.send("{\"type\":\"ack\",\"ref\":\"a\",\"userSeq\":0}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"a\"}"), client.next());
        assertPong(client, "after acks");
        client.closeNormally();
    }

    @Test
    void oneConnectionMoreThanTheCapIsClosed4011AndTheSameDeviceStillReplacesItsSocket() throws Exception {
        WsTestClient first = fixture.connect("token-cap@a");
        WsTestClient second = fixture.connect("token-cap@b");
        assertPong(first, "a"); // answered once the socket is authenticated and registered
        assertPong(second, "b");

        WsTestClient third = fixture.connect("token-cap@c");
        assertEquals(CloseCodes.TOO_MANY_CONNECTIONS, third.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertNull(first.closeCode.getNow(null), "the open sockets stay");

        WsTestClient firstAgain = fixture.connect("token-cap@a");
        assertEquals(CloseCodes.REPLACED, first.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertPong(firstAgain, "a again");

        second.closeNormally();
        second.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS); // echoed once the server let the socket go
        WsTestClient thirdAgain = fixture.connect("token-cap@c");
        assertPong(thirdAgain, "room again");
        firstAgain.closeNormally();
        thirdAgain.closeNormally();
    }

    @Test
    void theSameDeviceConnectingAgainReplacesItsSocketWith4009() throws Exception {
        WsTestClient old = fixture.connect("token-replaced");
        String oldSession = fixture.awaitUserCommand("user-replaced", SessionOpened.class).getSessionId();
        WsTestClient fresh = fixture.connect("token-replaced");
        assertEquals(CloseCodes.REPLACED, old.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
        assertEquals(oldSession, fixture.awaitUserCommand("user-replaced", SessionClosed.class).getSessionId());
        assertPong(fresh, "fresh");
        fresh.closeNormally();
    }

    /**
     * A client that never reads: the server's socket buffers fill, then its bounded outbound queue, and it is
     * closed with 4010. The client reads only afterwards, to see what it was sent: the close frame comes after
     * fewer messages than were routed to it (the rest stay in the user's log).
     */
    @Test
    void aClientThatDoesNotReadIsClosed4010() throws Exception {
        int messages = 200;
        String body = "z".repeat(60_000);
        try (RawWsClient client = RawWsClient.connect(fixture.port(), "token-slow", 4096)) {
            String sessionId = fixture.awaitUserCommand("user-slow", SessionOpened.class).getSessionId();
            List<Object> items = new ArrayList<>();
            items.add(new ReplayStarted("dev-slow", 0L));
            items.add(new ReplayFinished(0L));
            for (long userSeq = 1; userSeq <= messages; userSeq++) {
                items.add(new LoggedEvent(userSeq, new UserEvent("user-slow", new ChatMessage("conv-slow", userSeq,
                        "msg-" + userSeq, "cid-" + userSeq, "user-z", "dev-z", body, Instant.now(), null, null, List.of(), false))));
            }
            fixture.toEgress("user-slow", sessionId, items.toArray());
            // long enough for the egress consumer to overflow the queue, well within the writer's 5 s grace
            Thread.sleep(1_500);

            AtomicInteger received = new AtomicInteger();
            int code = client.readUntilClose(frame -> {
                if (frame.opcode() == RawWsClient.TEXT && frame.text().startsWith("{\"type\":\"message\"")) {
                    received.incrementAndGet();
                }
            });
            assertEquals(CloseCodes.TOO_SLOW, code);
            assertTrue(received.get() < messages, "only what was written before the overflow: " + received.get());
            assertEquals(sessionId, fixture.awaitUserCommand("user-slow", SessionClosed.class).getSessionId());
        }
    }

    private static void assertPong(WsTestClient client, String ref) throws Exception {
        client.send("{\"type\":\"ping\",\"ref\":\"" + ref + "\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"" + ref + "\"}"), client.next());
    }

    private static String send(String ref, String id, String conversationId) {
        return "{\"type\":\"send\",\"ref\":\"" + ref + "\",\"id\":\"" + id + "\",\"conversationId\":\""
                + conversationId + "\",\"body\":\"hi\"}";
    }

    /** A valid send frame of exactly {@code bytes} bytes: an ignored field pads it. */
    private static String padded(String id, String conversationId, int bytes) {
        String head = "{\"type\":\"send\",\"ref\":\"r\",\"id\":\"" + id + "\",\"conversationId\":\"" + conversationId
                + "\",\"body\":\"hi\",\"pad\":\"";
        String tail = "\"}";
        return head + "p".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static void sendInFragments(WsTestClient client, String message, int fragments) {
        int size = (message.length() + fragments - 1) / fragments;
        for (int start = 0; start < message.length(); start += size) {
            int end = Math.min(message.length(), start + size);
            client.sendFragment(message.substring(start, end), end == message.length());
        }
    }

    /** Another user's send to the same conversation (same partition) is read; the refused id is not before it. */
    private static void assertNotProduced(String id, String conversationId) throws Exception {
        WsTestClient marker = fixture.connect("token-marker");
        String markerId = "marker-after-" + id;
        marker.send(send("m", markerId, conversationId));
        assertEquals("ok", marker.next().get("type").asText());
        List<ConsumerRecord<String, InboundCommand>> records = fixture.readUntil(fixture.catalogue.inbound(),
                r -> isSend(r, markerId));
        assertTrue(records.stream().noneMatch(r -> isSend(r, id)), id + " reached chat.inbound");
        marker.closeNormally();
    }

    private static boolean isSend(ConsumerRecord<String, InboundCommand> record, String clientId) {
        return record.value().getCommand() instanceof SendMessage s && s.getClientId().equals(clientId);
    }
}
