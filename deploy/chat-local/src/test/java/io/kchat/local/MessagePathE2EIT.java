package io.kchat.local;

import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two (and three) real WebSocket clients exchange messages through the gateway, Kafka, the
 * streams-processor and the delivery-service, all wired as ./chat-local wires them.
 */
class MessagePathE2EIT {

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("e2e", stateDir);
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aDirectChatDeliversABurstInOrderToTheOtherUserAndEchoesToTheSender() throws Exception {
        JsonNode alice = http.newUser("alice");
        JsonNode bob = http.newUser("bob");
        try (WsClient aliceWs = clients.online(alice); WsClient bobWs = clients.online(bob)) {
            Http.Response created = http.post("/v1/conversations", token(alice),
                    "{\"type\":\"direct\",\"userId\":\"" + bob.path("userId").asText() + "\"}");
            assertEquals(201, created.status(), created.toString());
            String conversationId = created.body().path("conversationId").asText();
            // The same pair from the other side gets the same conversation.
            Http.Response again = http.post("/v1/conversations", token(bob),
                    "{\"type\":\"direct\",\"userId\":\"" + alice.path("userId").asText() + "\"}");
            assertEquals(200, again.status());
            assertEquals(conversationId, again.body().path("conversationId").asText());

            // Sent right after the create call answered: accepted and delivered (no race with REST, D1).
            for (int i = 1; i <= 100; i++) {
                aliceWs.send("{\"type\":\"send\",\"ref\":\"r" + i + "\",\"id\":\"m" + i + "\",\"conversationId\":\""
                        + conversationId + "\",\"body\":\"hello " + i + "\"}");
            }
            List<Long> seqs = new ArrayList<>();
            long lastUserSeq = 0;
            for (int i = 1; i <= 100; i++) {
                JsonNode received = message(bobWs, "m" + i);
                seqs.add(received.path("seq").asLong());
                assertEquals("hello " + i, received.path("body").asText());
                assertEquals(alice.path("userId").asText(), received.path("senderId").asText());
                assertTrue(received.path("userSeq").asLong() > lastUserSeq, "userSeq increases");
                lastUserSeq = received.path("userSeq").asLong();
            }
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), seqs);
            JsonNode echo = message(aliceWs, "m100");
            assertEquals(100, echo.path("seq").asLong());
            long oks = aliceWs.seen().stream().filter(f -> f.path("type").asText().equals("ok")).count();
            assertEquals(100, oks, "every send with a ref is answered ok");

            // A retried id creates nothing new: the sender gets the original echo again, same seq.
            aliceWs.send("{\"type\":\"send\",\"id\":\"m1\",\"conversationId\":\"" + conversationId + "\",\"body\":\"hello 1\"}");
            JsonNode retried = aliceWs.await(f -> f.path("type").asText().equals("message")
                    && f.path("id").asText().equals("m1") && f.path("userSeq").asLong() > echo.path("userSeq").asLong(),
                    Duration.ofSeconds(30));
            assertEquals(1, retried.path("seq").asLong());
            aliceWs.send("{\"type\":\"send\",\"id\":\"m101\",\"conversationId\":\"" + conversationId + "\",\"body\":\"next\"}");
            assertEquals(101, message(bobWs, "m101").path("seq").asLong(), "the retry took no seq");
        }
    }

    @Test
    void aGroupReachesEveryMemberAndANonMemberIsRefusedWithItsId() throws Exception {
        JsonNode owner = http.newUser("gowner");
        JsonNode member = http.newUser("gmember");
        JsonNode outsider = http.newUser("goutsider");
        try (WsClient ownerWs = clients.online(owner); WsClient memberWs = clients.online(member); WsClient outsiderWs = clients.online(outsider)) {
            Http.Response created = http.post("/v1/conversations", token(owner), "{\"type\":\"group\",\"title\":\"team\","
                    + "\"memberIds\":[\"" + member.path("userId").asText() + "\"]}");
            assertEquals(201, created.status(), created.toString());
            String groupId = created.body().path("conversationId").asText();
            JsonNode joined = memberWs.await(f -> f.path("type").asText().equals("conversation"), Duration.ofSeconds(30));
            assertEquals("created", joined.path("event").asText());
            assertEquals(groupId, joined.path("conversation").path("conversationId").asText());

            memberWs.send("{\"type\":\"send\",\"id\":\"g1\",\"conversationId\":\"" + groupId + "\",\"body\":\"hi team\"}");
            assertEquals(1, message(ownerWs, "g1").path("seq").asLong());
            assertEquals(1, message(memberWs, "g1").path("seq").asLong());

            outsiderWs.send("{\"type\":\"send\",\"ref\":\"x\",\"id\":\"intrude\",\"conversationId\":\"" + groupId
                    + "\",\"body\":\"let me in\"}");
            outsiderWs.await(f -> f.path("type").asText().equals("ok") && f.path("ref").asText().equals("x"), Duration.ofSeconds(30));
            JsonNode refused = outsiderWs.await(f -> f.path("type").asText().equals("error")
                    && f.path("id").asText().equals("intrude"), Duration.ofSeconds(30));
            assertEquals("not_found", refused.path("code").asText());
            assertEquals(404, http.get("/v1/conversations/" + groupId, token(outsider)).status());

            memberWs.send("{\"type\":\"send\",\"id\":\"g2\",\"conversationId\":\"" + groupId + "\",\"body\":\"still two\"}");
            assertEquals(2, message(ownerWs, "g2").path("seq").asLong(), "the refused send took no seq");
            assertTrue(outsiderWs.seen().stream().noneMatch(f -> f.path("type").asText().equals("message")));
        }
    }

    @Test
    void badFramesGetTypedErrorsAndTheSocketStaysOpen() throws Exception {
        JsonNode user = http.newUser("clumsy");
        try (WsClient ws = clients.online(user)) {
            ws.send("{not json");
            assertEquals("bad_request", ws.awaitType("error").path("code").asText());
            ws.send("{\"type\":\"teleport\",\"ref\":\"t\"}");
            assertEquals("t", ws.awaitType("error").path("ref").asText());
            ws.send("{\"type\":\"send\",\"ref\":\"s\",\"conversationId\":\"c\"}");
            assertEquals("s", ws.awaitType("error").path("ref").asText());
            ws.send("{\"type\":\"ping\",\"ref\":\"p\"}");
            assertEquals("p", ws.awaitType("pong").path("ref").asText());
        }
    }
}
