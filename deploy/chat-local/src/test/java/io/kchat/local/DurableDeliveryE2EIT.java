package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.firstOfEachUserSeq;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.messageWithId;
import static io.kchat.local.ChatClients.sendFrame;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.type;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when people are not online at the same moment, through all three services as ./chat-local
 * wires them: offline queues per device, acks, receipts, history, unread counts, membership changes,
 * typing and presence. The per-user log is bounded to {@value #LOG_BOUND} events here so that `gap` can be
 * reached; every other test stays below it per user.
 */
class DurableDeliveryE2EIT {

    private static final int LOG_BOUND = 60;

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("durable", stateDir, Map.of("USER_LOG_MAX_EVENTS", String.valueOf(LOG_BOUND)));
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    private static String direct(JsonNode from, JsonNode to) throws Exception {
        Http.Response created = http.post("/v1/conversations", token(from),
                "{\"type\":\"direct\",\"userId\":\"" + userId(to) + "\"}");
        assertEquals(201, created.status(), created.toString());
        return created.body().path("conversationId").asText();
    }

    /** Sends {@code prefix1..prefixN} and waits for the echo of the last (every one accepted). */
    private static void sendAll(WsClient sender, String conversationId, String prefix, int from, int to)
            throws InterruptedException {
        for (int i = from; i <= to; i++) {
            sender.send(sendFrame(conversationId, prefix + i, "body " + i));
        }
        message(sender, prefix + to);
    }

    /** The messages among {@code frames}, duplicates (same userSeq) dropped as a client drops them. */
    private static List<JsonNode> messages(List<JsonNode> frames) {
        return firstOfEachUserSeq(frames).stream().filter(type("message")).toList();
    }

    private static List<Long> longs(List<JsonNode> frames, String field) {
        return frames.stream().map(f -> f.path(field).asLong()).toList();
    }

    @Test
    void anOfflineDeviceGetsItsQueueInOrderThenSyncedAndLiveMessagesNeverOvertakeIt() throws Exception {
        JsonNode alice = http.newUser("q_alice");
        JsonNode bob = http.newUser("q_bob"); // registered at login: queued from here on, never connected yet
        String conversationId = direct(alice, bob);
        try (WsClient aliceWs = clients.online(alice)) {
            sendAll(aliceWs, conversationId, "q", 1, 20);
            try (WsClient bobWs = WsClient.connect(stack.port(), token(bob))) {
                // Live traffic while the replay may still be running.
                sendAll(aliceWs, conversationId, "q", 21, 25);
                List<JsonNode> untilSynced = bobWs.collectUntil(type("synced"), WAIT);
                // The live five land in bob's log either before the replay reaches its end (then they come
                // before `synced`) or after it; either way the last of them must arrive.
                bobWs.awaitSeenOrNext(messageWithId("q25"), WAIT);

                assertEquals("ready", untilSynced.getFirst().path("type").asText());
                long synced = untilSynced.getLast().path("userSeq").asLong();
                List<JsonNode> received = messages(bobWs.seen());
                List<Long> userSeqs = longs(received, "userSeq");
                assertEquals(userSeqs.stream().sorted().toList(), userSeqs, "userSeq order on the wire");
                assertEquals(LongStream.rangeClosed(1, 25).boxed().toList(), longs(received, "seq"),
                        "everything, once, in order");
                assertTrue(messages(untilSynced).stream().allMatch(m -> m.path("userSeq").asLong() <= synced),
                        "nothing after `synced` is reported as synced");
                assertTrue(messages(untilSynced).size() >= 20, "the 20 queued messages came before synced");
            }
        }
    }

    @Test
    void contactChangesReachBothSocketsAndABlockRefusesTheDirectConversationFromThenOnUntilLifted() throws Exception {
        JsonNode alice = http.newUser("c_alice");
        JsonNode bob = http.newUser("c_bob");
        try (WsClient aliceWs = clients.online(alice); WsClient bobWs = clients.online(bob)) {
            Http.Response asked = http.post("/v1/contacts/requests", token(alice),
                    "{\"userId\":\"" + userId(bob) + "\",\"message\":\"hi, it's Alice\"}");
            assertEquals(201, asked.status(), asked.toString());
            String requestId = asked.body().at("/request/requestId").asText();
            for (WsClient socket : List.of(aliceWs, bobWs)) {
                JsonNode request = socket.await(contact("request"), WAIT);
                assertEquals(requestId, request.at("/request/requestId").asText());
                assertEquals("hi, it's Alice", request.at("/request/message").asText());
                assertTrue(request.path("userSeq").asLong() > 0, "durable: it has a userSeq");
            }
            assertEquals(200, http.post("/v1/contacts/requests/" + requestId + "/accept", token(bob), "{}").status());
            assertEquals(userId(bob), aliceWs.await(contact("accepted"), WAIT).at("/contact/userId").asText());
            assertEquals(userId(alice), bobWs.await(contact("accepted"), WAIT).at("/contact/userId").asText());

            String conversationId = direct(alice, bob);
            aliceWs.send(sendFrame(conversationId, "c1", "before the block"));
            message(bobWs, "c1");

            assertEquals(204, http.put("/v1/blocks/" + userId(alice), token(bob)).status());
            // the block ends the contact: both are told
            assertEquals(userId(bob), aliceWs.await(contact("removed"), WAIT).at("/contact/userId").asText());
            bobWs.await(contact("removed"), WAIT);
            // the blocker's own devices are told of the block (the blocked side never is)
            assertEquals(userId(alice), bobWs.await(contact("blocked"), WAIT).at("/contact/userId").asText());
            aliceWs.send(sendFrame(conversationId, "c2", "after the block"));
            JsonNode refused = aliceWs.await(f -> type("error").test(f) && f.path("id").asText().equals("c2"), WAIT);
            assertEquals("forbidden", refused.path("code").asText());
            // the HTTP send path meets the same refusal: accepted for the log, refused in order, told on the socket
            assertEquals(202, http.post("/v1/conversations/" + conversationId + "/messages", token(alice),
                    "{\"id\":\"c2h\",\"body\":\"over HTTP\"}").status());
            assertEquals("forbidden", aliceWs.await(f -> type("error").test(f) && f.path("id").asText().equals("c2h"),
                    WAIT).path("code").asText());
            bobWs.send(sendFrame(conversationId, "c3", "the blocker cannot post either"));
            assertEquals("forbidden", bobWs.await(f -> type("error").test(f) && f.path("id").asText().equals("c3"),
                    WAIT).path("code").asText());

            assertEquals(204, http.delete("/v1/blocks/" + userId(alice), token(bob)).status());
            assertEquals(userId(alice), bobWs.await(contact("unblocked"), WAIT).at("/contact/userId").asText());
            aliceWs.send(sendFrame(conversationId, "c4", "after the unblock"));
            JsonNode after = message(bobWs, "c4");
            assertEquals(2, after.path("seq").asLong(), "the refused sends took no seq");
            // c4 is after c2 in the conversation's partition: had c2 been delivered, it would have come first
            assertTrue(bobWs.seen().stream().noneMatch(messageWithId("c2").or(messageWithId("c2h"))),
                    "bob never got the blocked messages");
            assertTrue(aliceWs.seen().stream().noneMatch(contact("blocked").or(contact("unblocked"))),
                    "alice was never told she was blocked");
        }
    }

    private static java.util.function.Predicate<JsonNode> contact(String event) {
        return frame -> type("contact").test(frame) && frame.path("event").asText().equals(event);
    }

    @Test
    void ackedEventsAreNotReplayedAndTheCursorSurvivesTheReconnect() throws Exception {
        JsonNode alice = http.newUser("a_alice");
        JsonNode bob = http.newUser("a_bob");
        String conversationId = direct(alice, bob);
        try (WsClient aliceWs = clients.online(alice)) {
            long acked;
            try (WsClient bobWs = clients.online(bob)) {
                sendAll(aliceWs, conversationId, "a", 1, 5);
                acked = message(bobWs, "a5").path("userSeq").asLong();
                bobWs.send("{\"type\":\"ack\",\"ref\":\"k\",\"userSeq\":" + acked + "}");
                bobWs.await(f -> f.path("type").asText().equals("ok") && f.path("ref").asText().equals("k"), WAIT);
            }
            sendAll(aliceWs, conversationId, "a", 6, 7);
            try (WsClient bobWs = WsClient.connect(stack.port(), token(bob))) {
                List<JsonNode> untilSynced = bobWs.collectUntil(type("synced"), WAIT);
                assertEquals(acked, untilSynced.getFirst().path("ackedUserSeq").asLong());
                assertEquals(List.of("a6", "a7"), messages(untilSynced).stream().map(m -> m.path("id").asText()).toList());
            }
        }
    }

    @Test
    void eachDeviceOfAUserGetsEverythingWhateverTheOtherAcked() throws Exception {
        JsonNode alice = http.newUser("d_alice");
        http.newUser("d_bob");
        JsonNode laptop = http.login("d_bob", "laptop");
        JsonNode phone = http.login("d_bob", "phone");
        String conversationId = direct(alice, laptop);
        try (WsClient aliceWs = clients.online(alice); WsClient laptopWs = clients.online(laptop)) {
            sendAll(aliceWs, conversationId, "d", 1, 5);
            long last = message(laptopWs, "d5").path("userSeq").asLong();
            laptopWs.send("{\"type\":\"ack\",\"ref\":\"k\",\"userSeq\":" + last + "}");
            laptopWs.await(f -> f.path("type").asText().equals("ok"), WAIT);
        }
        try (WsClient phoneWs = WsClient.connect(stack.port(), token(phone))) {
            List<JsonNode> untilSynced = phoneWs.collectUntil(type("synced"), WAIT);
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L), longs(messages(untilSynced), "seq"),
                    "the phone's queue is its own: the laptop's ack took nothing from it");
        }
    }

    @Test
    void deliveredAndReadReceiptsReachTheSender() throws Exception {
        JsonNode alice = http.newUser("r_alice");
        JsonNode bob = http.newUser("r_bob");
        String conversationId = direct(alice, bob);
        try (WsClient aliceWs = clients.online(alice); WsClient bobWs = clients.online(bob)) {
            sendAll(aliceWs, conversationId, "r", 1, 3);
            long userSeq = message(bobWs, "r3").path("userSeq").asLong();
            bobWs.send("{\"type\":\"ack\",\"userSeq\":" + userSeq + "}");
            JsonNode delivered = aliceWs.await(f -> type("receipt").test(f) && f.path("kind").asText().equals("delivered"), WAIT);
            assertEquals(conversationId, delivered.path("conversationId").asText());
            assertEquals(userId(bob), delivered.path("userId").asText());
            assertEquals(3, delivered.path("seq").asLong(), "one receipt covers the whole acked range");
            assertTrue(delivered.path("userSeq").asLong() > 0, "receipts are durable events with a userSeq");

            bobWs.send("{\"type\":\"read\",\"conversationId\":\"" + conversationId + "\",\"seq\":2}");
            JsonNode read = aliceWs.await(f -> type("receipt").test(f) && f.path("kind").asText().equals("read"), WAIT);
            assertEquals(userId(bob), read.path("userId").asText());
            assertEquals(2, read.path("seq").asLong());
        }
    }

    @Test
    void historyPagesAtBothEndsAndTheConversationListCountsUnread() throws Exception {
        JsonNode alice = http.newUser("h_alice");
        JsonNode bob = http.newUser("h_bob");
        String conversationId = direct(alice, bob);
        String history = "/v1/conversations/" + conversationId + "/messages";
        try (WsClient aliceWs = clients.online(alice)) {
            sendAll(aliceWs, conversationId, "h", 1, 30);
            await().atMost(WAIT).until(() -> conversation(bob, conversationId).path("lastSeq").asLong() == 30);
            JsonNode listed = conversation(bob, conversationId);
            assertEquals(30, listed.path("unread").asLong());
            assertEquals(0, listed.path("readSeq").asLong());
            assertEquals("h30", listed.path("lastMessage").path("id").asText());
            assertEquals(0, conversation(alice, conversationId).path("unread").asLong(), "own messages are read");

            assertEquals(LongStream.rangeClosed(21, 30).boxed().toList(), page(bob, history + "?limit=10"));
            assertEquals(LongStream.rangeClosed(11, 20).boxed().toList(), page(bob, history + "?before=21&limit=10"));
            assertEquals(LongStream.rangeClosed(1, 5).boxed().toList(), page(bob, history + "?after=0&limit=5"));
            assertEquals(List.of(6L, 7L, 8L), page(bob, history + "?after=5&before=9"));
            assertEquals(400, http.get(history + "?limit=101", token(bob)).status());

            // The HTTP send path: 202 once logged, then the same echo as a WebSocket send.
            Http.Response posted = http.post(history, token(alice), "{\"id\":\"h31\",\"body\":\"by http\"}");
            assertEquals(202, posted.status(), posted.toString());
            assertEquals("h31", posted.body().path("id").asText());
            assertEquals(31, message(aliceWs, "h31").path("seq").asLong());

            try (WsClient bobWs = clients.online(bob)) {
                bobWs.send("{\"type\":\"read\",\"conversationId\":\"" + conversationId + "\",\"seq\":31}");
                await().atMost(WAIT).until(() -> conversation(bob, conversationId).path("unread").asLong() == 0);
                assertEquals(31, conversation(bob, conversationId).path("readSeq").asLong());
            }
        }
    }

    private static JsonNode conversation(JsonNode login, String conversationId) throws Exception {
        Http.Response list = http.get("/v1/conversations", token(login));
        assertEquals(200, list.status(), list.toString());
        return StreamSupport.stream(list.body().path("conversations").spliterator(), false)
                .filter(c -> c.path("conversationId").asText().equals(conversationId))
                .findFirst().orElseThrow(() -> new AssertionError(conversationId + " not listed: " + list));
    }

    private static List<Long> page(JsonNode login, String path) throws Exception {
        Http.Response page = http.get(path, token(login));
        assertEquals(200, page.status(), page.toString());
        return longs(StreamSupport.stream(page.body().path("messages").spliterator(), false).toList(), "seq");
    }

    @Test
    void aRemovedMemberGetsNothingMoreCannotPostAndCannotReadHistory() throws Exception {
        JsonNode owner = http.newUser("m_owner");
        JsonNode stays = http.newUser("m_stays");
        JsonNode leaves = http.newUser("m_leaves");
        Http.Response created = http.post("/v1/conversations", token(owner), "{\"type\":\"group\",\"title\":\"crew\","
                + "\"memberIds\":[\"" + userId(stays) + "\",\"" + userId(leaves) + "\"]}");
        assertEquals(201, created.status(), created.toString());
        String groupId = created.body().path("conversationId").asText();
        try (WsClient ownerWs = clients.online(owner); WsClient staysWs = clients.online(stays);
             WsClient leavesWs = clients.online(leaves)) {
            ownerWs.send(sendFrame(groupId, "before", "all three"));
            message(leavesWs, "before");

            assertEquals(204, http.delete("/v1/conversations/" + groupId + "/members/" + userId(leaves), token(owner)).status());
            JsonNode removed = leavesWs.await(f -> type("conversation").test(f)
                    && f.path("event").asText().equals("member_removed"), WAIT);
            assertEquals(groupId, removed.path("conversation").path("conversationId").asText());

            ownerWs.send(sendFrame(groupId, "after", "two of us"));
            assertEquals(2, message(staysWs, "after").path("seq").asLong());
            leavesWs.send("{\"type\":\"send\",\"ref\":\"p\",\"id\":\"sneak\",\"conversationId\":\"" + groupId
                    + "\",\"body\":\"still here?\"}");
            JsonNode refused = leavesWs.await(f -> type("error").test(f) && f.path("id").asText().equals("sneak"), WAIT);
            assertEquals("not_found", refused.path("code").asText());
            ownerWs.send(sendFrame(groupId, "later", "still two"));
            assertEquals(3, message(staysWs, "later").path("seq").asLong(), "the refused send took no seq");
            assertTrue(leavesWs.drain(Duration.ofSeconds(1)).stream().noneMatch(type("message")));
            assertTrue(leavesWs.seen().stream().filter(type("message"))
                    .noneMatch(m -> m.path("seq").asLong() > 1), "nothing sent after the removal");
            assertEquals(404, http.get("/v1/conversations/" + groupId + "/messages", token(leaves)).status());

            assertEquals(200, http.patch("/v1/conversations/" + groupId, token(owner), "{\"title\":\"crew 2\"}").status());
            JsonNode updated = staysWs.await(f -> type("conversation").test(f) && f.path("event").asText().equals("updated"), WAIT);
            assertEquals("crew 2", updated.path("conversation").path("title").asText());
        }
    }

    @Test
    void typingReachesWhoIsOnlineAndIsNeverReplayed() throws Exception {
        JsonNode alice = http.newUser("t_alice");
        JsonNode bob = http.newUser("t_bob");
        String conversationId = direct(alice, bob);
        Http.Response group = http.post("/v1/conversations", token(alice),
                "{\"type\":\"group\",\"title\":\"pair\",\"memberIds\":[\"" + userId(bob) + "\"]}");
        assertEquals(201, group.status(), group.toString());
        try (WsClient aliceWs = clients.online(alice)) {
            try (WsClient bobWs = clients.online(bob)) {
                aliceWs.send(typingFrame(conversationId));
                JsonNode notice = bobWs.await(type("typing"), WAIT);
                assertEquals(userId(alice), notice.path("userId").asText());
                assertTrue(notice.path("active").asBoolean());
                assertFalse(notice.has("userSeq"), "typing is ephemeral");
            }
            // bob is offline now: nobody to tell, nothing queued. Another conversation, so the per-conversation
            // typing rate limit does not swallow it before it could be queued.
            aliceWs.send(typingFrame(group.body().path("conversationId").asText()));
            aliceWs.send(sendFrame(conversationId, "t1", "are you there?"));
            message(aliceWs, "t1");
        }
        try (WsClient bobWs = WsClient.connect(stack.port(), token(bob))) {
            List<JsonNode> untilSynced = bobWs.collectUntil(type("synced"), WAIT);
            assertTrue(untilSynced.stream().noneMatch(type("typing")), "typing is never queued or replayed");
            assertEquals(List.of("t1"), messages(untilSynced).stream().map(m -> m.path("id").asText()).toList());
        }
    }

    private static String typingFrame(String conversationId) {
        return "{\"type\":\"typing\",\"conversationId\":\"" + conversationId + "\",\"active\":true}";
    }

    @Test
    void presenceIsToldToContactsAndCounted() throws Exception {
        JsonNode alice = http.newUser("p_alice");
        JsonNode bob = http.newUser("p_bob");
        JsonNode stranger = http.newUser("p_stranger");
        direct(alice, bob);
        try (WsClient aliceWs = clients.online(alice)) {
            try (WsClient bobWs = clients.online(bob)) {
                JsonNode online = aliceWs.await(f -> type("presence").test(f) && f.path("userId").asText().equals(userId(bob))
                        && f.path("online").asBoolean(), WAIT);
                assertFalse(online.has("userSeq"), "presence is ephemeral");
                JsonNode presence = http.get("/v1/users/" + userId(bob) + "/presence", token(alice)).body();
                assertTrue(presence.path("online").asBoolean(), presence.toString());
                assertEquals(404, http.get("/v1/users/" + userId(bob) + "/presence", token(stranger)).status());
                JsonNode stats = http.get("/v1/stats/online", token(alice)).body();
                assertTrue(stats.path("users").asLong() >= 2 && stats.path("connections").asLong() >= 2, stats.toString());
            }
            JsonNode offline = aliceWs.await(f -> type("presence").test(f) && f.path("userId").asText().equals(userId(bob))
                    && !f.path("online").asBoolean(), WAIT);
            assertFalse(offline.path("lastSeen").asText().isEmpty(), "offline carries lastSeen");
        }
    }

    @Test
    void aDeviceWhoseCursorFellOffTheBoundedLogGetsGap() throws Exception {
        JsonNode alice = http.newUser("g_alice");
        JsonNode bob = http.newUser("g_bob");
        String conversationId = direct(alice, bob); // bob's log: the `created` event is userSeq 1
        try (WsClient aliceWs = clients.online(alice)) {
            sendAll(aliceWs, conversationId, "g", 1, LOG_BOUND + 10);
        }
        try (WsClient bobWs = WsClient.connect(stack.port(), token(bob))) {
            List<JsonNode> untilSynced = bobWs.collectUntil(type("synced"), WAIT);
            JsonNode gap = untilSynced.stream().filter(type("gap")).findFirst()
                    .orElseThrow(() -> new AssertionError("no gap in " + untilSynced));
            long last = 1 + LOG_BOUND + 10;
            long oldest = gap.path("oldestUserSeq").asLong();
            assertEquals(last - LOG_BOUND + 1, oldest, "the log keeps the newest " + LOG_BOUND);
            List<Long> replayed = longs(messages(untilSynced), "userSeq");
            assertEquals(LongStream.rangeClosed(oldest, last).boxed().toList(), replayed,
                    "after the gap: every kept event, in order");
        }
    }

    @Test
    void logoutAndPasswordChangeCloseTheSocketsOfTheSessionsTheyEnd() throws Exception {
        http.newUser("x_carol");
        JsonNode phone = http.login("x_carol", "phone");
        JsonNode laptop = http.login("x_carol", "laptop");
        JsonNode tablet = http.login("x_carol", "tablet");
        try (WsClient phoneWs = clients.online(phone); WsClient laptopWs = clients.online(laptop);
             WsClient tabletWs = clients.online(tablet)) {
            Http.Response changed = http.post("/v1/auth/password", token(laptop),
                    "{\"currentPassword\":\"" + Http.PASSWORD + "\",\"newPassword\":\"a much better passphrase\"}");
            assertEquals(204, changed.status(), changed.toString());
            assertEquals(4003, phoneWs.awaitClose(WAIT), "a password change ends every other session");
            assertEquals(4003, tabletWs.awaitClose(WAIT));

            assertEquals(204, http.post("/v1/auth/logout", token(laptop), "{}").status());
            assertEquals(4003, laptopWs.awaitClose(WAIT), "logout ends this device's session");
        }
    }
}
