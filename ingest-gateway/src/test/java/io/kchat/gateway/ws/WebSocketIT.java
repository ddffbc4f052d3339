package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.net.http.WebSocketHandshakeException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The endpoint on a real Helidon server and a real broker: authentication both ways, the send path to
 * chat.inbound, the egress path to the socket (ready, replay, synced, duplicates), and refusals that keep
 * the socket open.
 */
class WebSocketIT {

    private static final Instant TS = Instant.parse("2030-01-02T03:04:05Z");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long WAIT_MS = WsTestClient.WAIT.toMillis();

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("WebSocketIT", config -> config.withLimits(100, 64));
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void headerAuthReplaysThenGoesLiveAndSendsAreAcknowledgedAfterKafka() throws Exception {
        WsTestClient client = fixture.connect("token-a");
        SessionOpened opened = fixture.awaitUserCommand("user-a", SessionOpened.class);
        assertEquals("dev-a", opened.getDeviceId());
        assertEquals(fixture.node, opened.getNodeId());
        String sessionId = opened.getSessionId();

        // what the processor answers a SessionOpened with, and a live event after it
        fixture.toEgress("user-a", sessionId, new ReplayStarted("dev-a", 0L), message(1), message(1),
                new ReplayFinished(1L), message(2));

        assertEquals(JSON.readTree("{\"type\":\"ready\",\"userId\":\"user-a\",\"deviceId\":\"dev-a\",\"sessionId\":\""
                + sessionId + "\",\"ackedUserSeq\":0}"), client.next());
        assertEquals(JSON.readTree("""
                {"type":"message","userSeq":1,"conversationId":"conv-1","seq":1,"messageId":"msg-1","id":"cid-1",
                 "senderId":"user-z","body":"hello 1","ts":"2030-01-02T03:04:05Z"}"""), client.next());
        assertEquals(JSON.readTree("{\"type\":\"synced\",\"userSeq\":1}"), client.next());
        assertEquals(2, client.next().get("userSeq").asInt(), "the repeated userSeq 1 is dropped");

        client.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"cid-9\",\"conversationId\":\"conv-9\",\"body\":\"hi\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"r1\",\"id\":\"cid-9\"}"), client.next());
        ConsumerRecord<String, InboundCommand> inbound = fixture.readUntil(fixture.catalogue.inbound(),
                r -> r.value().getCommand() instanceof SendMessage s && s.getClientId().equals("cid-9")).getLast();
        assertEquals("conv-9", inbound.key());
        assertEquals(new SendMessage("cid-9", "user-a", "dev-a", "hi", null, null, List.of(), false), inbound.value().getCommand());

        client.closeNormally();
        assertEquals(sessionId, fixture.awaitUserCommand("user-a", SessionClosed.class).getSessionId());
    }

    @Test
    void firstFrameAuthAfterRefusingEarlierFrames() throws Exception {
        WsTestClient client = fixture.connect(null);
        client.send("{\"type\":\"ping\",\"ref\":\"early\"}");
        JsonNode refused = client.next();
        assertEquals("error", refused.get("type").asText());
        assertEquals("early", refused.get("ref").asText());
        assertEquals("bad_request", refused.get("code").asText());

        client.send("{\"type\":\"auth\",\"ref\":\"a1\",\"token\":\"token-b\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"a1\"}"), client.next());
        assertEquals("dev-b", fixture.awaitUserCommand("user-b", SessionOpened.class).getDeviceId());

        client.send("{\"type\":\"auth\",\"token\":\"token-b\"}");
        assertEquals(JSON.readTree("{\"type\":\"ok\"}"), client.next(), "a refresh is answered ok");
        client.closeNormally();
    }

    @Test
    void badFramesAreAnsweredAndTheSocketStaysOpen() throws Exception {
        WsTestClient client = fixture.connect("token-c");
        client.send("not json");
        assertEquals("bad_request", client.next().get("code").asText());
        client.send("{\"type\":\"dance\",\"ref\":\"x\"}");
        JsonNode unknown = client.next();
        assertEquals("x", unknown.get("ref").asText());
        assertEquals("bad_request", unknown.get("code").asText());
        client.send("{\"type\":\"send\",\"id\":\"i\",\"conversationId\":\"c\",\"body\":\"" + "b".repeat(101) + "\"}");
        assertEquals("bad_request", client.next().get("code").asText());
        client.send("{\"type\":\"typing\",\"conversationId\":\"c\",\"active\":true}");
        assertEquals("not_found", client.next().get("code").asText(), "not a member of c");

        client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals(JSON.readTree("{\"type\":\"pong\",\"ref\":\"p\"}"), client.next());
        assertNull(client.closeCode.getNow(null));
        client.closeNormally();
    }

    @Test
    void noAuthFrameInTimeCloses4002() throws Exception {
        WsTestClient client = fixture.connect(null);
        assertEquals(CloseCodes.AUTH_TIMEOUT, client.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void badTokenInAuthFrameCloses4001() throws Exception {
        WsTestClient client = fixture.connect(null);
        client.send("{\"type\":\"auth\",\"token\":\"forged\"}");
        assertEquals(CloseCodes.AUTH_FAILED, client.closeCode.get(WAIT_MS, TimeUnit.MILLISECONDS));
    }

    @Test
    void badTokenOnTheUpgradeIsRefusedWith401() {
        CompletionException refused = assertThrows(CompletionException.class, () -> fixture.connect("forged"));
        WebSocketHandshakeException handshake = assertInstanceOf(WebSocketHandshakeException.class, refused.getCause());
        assertEquals(401, handshake.getResponse().statusCode());
    }

    private static LoggedEvent message(long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent("user-a", new ChatMessage("conv-1", userSeq, "msg-" + userSeq,
                "cid-" + userSeq, "user-z", "dev-z", "hello " + userSeq, TS, null, null, List.of(), false)));
    }
}
