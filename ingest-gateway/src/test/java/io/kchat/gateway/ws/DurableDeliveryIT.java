package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.ChatMessage;
import io.kchat.events.DeviceAck;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PresenceChanged;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionOpened;
import io.kchat.events.Typing;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.auth.MutableClock;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue "durable delivery" through a real socket: replay before live (D4), duplicates dropped, receipts and
 * ephemeral frames, ack coalescing, typing (D10), and the session rows of the node directory. The tests
 * stand in for the user side and the delivery-service by writing to this node's egress topic.
 */
class DurableDeliveryIT {

    private static final Instant TS = Instant.parse("2030-01-02T03:04:05.678Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("DurableDeliveryIT", config -> config);
        fixture.conversation("conv-typing", "user-t1", "user-t2");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void liveEventsArrivingDuringTheReplayWaitForSyncedAndRepeatsAreDropped() throws Exception {
        WsTestClient client = fixture.connect("token-e");
        String sessionId = fixture.awaitUserCommand("user-e", SessionOpened.class).getSessionId();

        // 3 is live and overtakes the queued 2; the delivery path is at-least-once, so 1 and 3 come twice
        fixture.toEgress("user-e", sessionId, new ReplayStarted("dev-e", 0L), message("user-e", 1),
                message("user-e", 3), message("user-e", 2), message("user-e", 1), new ReplayFinished(2L),
                message("user-e", 3), message("user-e", 4), message("user-e", 2));

        List<String> frames = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            frames.add(client.nextSummary());
        }
        assertEquals(List.of("ready", "1", "2", "synced", "3", "4"), frames);
        client.send("{\"type\":\"ping\",\"ref\":\"after\"}");
        assertEquals("pong", client.nextSummary(), "no repeat was sent after 4");
        client.closeNormally();
    }

    @Test
    void receiptsAndEphemeralFramesReachTheSocketAndUnreadableRecordsAreSkipped() throws Exception {
        WsTestClient client = fixture.connect("token-f");
        String sessionId = fixture.awaitUserCommand("user-f", SessionOpened.class).getSessionId();

        fixture.rawToEgress("not a Delivery of any schema".getBytes());
        fixture.toEgress("user-f", sessionId, new ReplayStarted("dev-f", 0L), new ReplayFinished(0L),
                new Typing("conv-x", "user-z", true, TS), new PresenceChanged("user-z", false, TS),
                new LoggedEvent(1L, new UserEvent("user-f", new Receipt("conv-x", "user-z", ReceiptKind.READ, 5L, TS))));

        assertEquals("ready", client.nextSummary());
        assertEquals("synced", client.nextSummary());
        assertEquals(JSON.readTree("""
                {"type":"typing","conversationId":"conv-x","userId":"user-z","active":true}"""), client.next());
        assertEquals(JSON.readTree("""
                {"type":"presence","userId":"user-z","online":false,"lastSeen":"2030-01-02T03:04:05.678Z"}"""),
                client.next());
        assertEquals(JSON.readTree("""
                {"type":"receipt","userSeq":1,"conversationId":"conv-x","userId":"user-z","kind":"read","seq":5}"""),
                client.next());
        client.closeNormally();
    }

    @Test
    void aBurstOfAcksBecomesAFewDeviceAcksEndingWithTheHighest() throws Exception {
        WsTestClient client = fixture.connect("token-d");
        String sessionId = fixture.awaitUserCommand("user-d", SessionOpened.class).getSessionId();
        List<Object> replay = new ArrayList<>();
        replay.add(new ReplayStarted("dev-d", 0L));
        for (long userSeq = 1; userSeq <= 50; userSeq++) {
            replay.add(message("user-d", userSeq));
        }
        replay.add(new ReplayFinished(50L));
        fixture.toEgress("user-d", sessionId, replay.toArray());
        for (int i = 0; i < 52; i++) {
            client.next();
        }

        client.send("{\"type\":\"ack\",\"ref\":\"ahead\",\"userSeq\":51}");
        assertEquals("bad_request", client.next().get("code").asText(), "51 was never sent");
        for (long userSeq = 1; userSeq <= 50; userSeq++) {
            client.send("{\"type\":\"ack\",\"userSeq\":" + userSeq + "}");
        }
        client.send("{\"type\":\"ack\",\"ref\":\"last\",\"userSeq\":50}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"last\"}"), client.next());

        List<Long> acks = fixture.readUntil(fixture.catalogue.userInbound(), r -> Long.valueOf(50).equals(deviceAck(r, "user-d")))
                .stream().map(r -> deviceAck(r, "user-d")).filter(Objects::nonNull).toList();
        assertTrue(acks.size() <= 5, "50 acks became " + acks);
        assertEquals(50L, acks.getLast());
        for (int i = 1; i < acks.size(); i++) {
            assertTrue(acks.get(i) > acks.get(i - 1), "never backwards: " + acks);
        }
        client.closeNormally();
    }

    @Test
    void typingOfAMemberIsProducedKeyedByConversationAndABurstIsCoalesced() throws Exception {
        WsTestClient client = fixture.connect("token-t1");
        Instant before = Instant.now();
        client.send("{\"type\":\"typing\",\"ref\":\"t\",\"conversationId\":\"conv-typing\",\"active\":true}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"t\"}"), client.next());

        for (int i = 0; i < 20; i++) {
            client.send("{\"type\":\"typing\",\"conversationId\":\"conv-typing\",\"active\":true}");
        }
        client.send("{\"type\":\"typing\",\"ref\":\"stop\",\"conversationId\":\"conv-typing\",\"active\":false}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"stop\"}"), client.next());

        List<ConsumerRecord<String, Typing>> notices = fixture.readUntil(fixture.catalogue.typing(),
                r -> r.value().getUserId().equals("user-t1") && !r.value().getActive());
        ConsumerRecord<String, Typing> first = notices.getFirst();
        assertEquals("conv-typing", first.key());
        assertEquals("conv-typing", first.value().getConversationId());
        assertEquals("user-t1", first.value().getUserId());
        assertTrue(first.value().getActive());
        assertFalse(first.value().getAt().isBefore(before.minusSeconds(1)), "stamped by the gateway's clock");
        assertTrue(notices.size() <= 3, "22 notices became " + notices.size());
        client.closeNormally();
    }

    @Test
    void typingOfANonMemberIsNotFound() throws Exception {
        WsTestClient client = fixture.connect("token-t3");
        client.send("{\"type\":\"typing\",\"ref\":\"t\",\"conversationId\":\"conv-typing\",\"active\":true}");
        assertEquals(JSON.readTree("""
                {"type":"error","ref":"t","code":"not_found","message":"no such conversation"}"""), client.next());
        client.closeNormally();
    }

    @Test
    void membershipAnswersAreReusedForTheirTtl() {
        MutableClock clock = new MutableClock(Instant.now());
        CachedMembership members = new CachedMembership(fixture.database, clock, Duration.ofSeconds(5));
        assertFalse(members.isMember("conv-cache", "user-c1"));
        fixture.conversation("conv-cache", "user-c1");
        assertFalse(members.isMember("conv-cache", "user-c1"), "the remembered answer, for up to the ttl");
        clock.advance(Duration.ofSeconds(5));
        assertTrue(members.isMember("conv-cache", "user-c1"));
    }

    @Test
    void aSessionRowExistsWhileTheSocketIsOpen() throws Exception {
        WsTestClient client = fixture.connect("token-g");
        String sessionId = fixture.awaitUserCommand("user-g", SessionOpened.class).getSessionId();
        Awaitility.await().atMost(WsTestClient.WAIT).until(() -> sessionRow(sessionId) != null);
        assertEquals("user-g dev-g " + fixture.node + " " + fixture.incarnation, sessionRow(sessionId));

        client.closeNormally();
        Awaitility.await().atMost(WsTestClient.WAIT).until(() -> sessionRow(sessionId) == null);
    }

    private static Long deviceAck(ConsumerRecord<String, UserCommand> record, String userId) {
        return record.key().equals(userId) && record.value().getCommand() instanceof DeviceAck ack
                ? ack.getUserSeq() : null;
    }

    private static String sessionRow(String sessionId) {
        return fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT user_id, device_id, node_id, incarnation FROM sessions WHERE session_id = ?")) {
                statement.setString(1, sessionId);
                try (ResultSet rows = statement.executeQuery()) {
                    return rows.next() ? rows.getString(1) + " " + rows.getString(2) + " " + rows.getString(3)
                            + " " + rows.getString(4) : null;
                }
            }
        });
    }

    private static LoggedEvent message(String userId, long userSeq) {
        return new LoggedEvent(userSeq, new UserEvent(userId, new ChatMessage("conv-1", userSeq, "msg-" + userSeq,
                "cid-" + userSeq, "user-z", "dev-z", "hello " + userSeq, TS, null, null, List.of(), false)));
    }
}
