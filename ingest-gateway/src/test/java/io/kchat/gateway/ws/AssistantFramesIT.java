package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.AssistantStop;
import io.kchat.events.AssistantStream;
import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.ReplayFinished;
import io.kchat.events.ReplayStarted;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserEvent;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.schemas.AssistantUser;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assistant's frames on a real server and broker: a member's {@code assistant_stop} reaches chat.assistant-control
 * keyed by conversation, anyone else's is answered with an {@code error} and publishes nothing, and what the
 * delivery-service relays (an AssistantStream item) and the answer that follows reach the socket as
 * {@code assistant_stream} and {@code message} frames.
 */
class AssistantFramesIT {

    private static final Instant TS = Instant.parse("2030-01-02T03:04:05.678Z");
    private static final ObjectMapper JSON = new ObjectMapper();

    private static WsServerFixture fixture;

    @BeforeAll
    static void start() {
        fixture = WsServerFixture.start("AssistantFramesIT", config -> config);
        fixture.conversation("conv-assistant", "user-s", AssistantUser.ID);
        new ReadModelRows(fixture.database).update(
                "UPDATE conversations SET type = 'assistant' WHERE conversation_id = ?", "conv-assistant");
        fixture.conversation("conv-group", "user-s", "user-t");
    }

    @AfterAll
    static void stop() throws Exception {
        fixture.close();
    }

    @Test
    void aMembersStopIsPublishedKeyedByConversationAndOthersAreRefused() throws Exception {
        WsTestClient client = fixture.connect("token-s");
        fixture.awaitUserCommand("user-s", SessionOpened.class);

        client.send("{\"type\":\"assistant_stop\",\"ref\":\"r1\",\"conversationId\":\"conv-other\",\"replyTo\":7}");
        assertError(client.next(), "r1", "not_found");
        client.send("{\"type\":\"assistant_stop\",\"ref\":\"r2\",\"conversationId\":\"conv-group\",\"replyTo\":7}");
        assertError(client.next(), "r2", "bad_request");
        client.send("{\"type\":\"assistant_stop\",\"ref\":\"r3\",\"conversationId\":\"conv-assistant\",\"replyTo\":0}");
        assertError(client.next(), "r3", "bad_request");

        client.send("{\"type\":\"assistant_stop\",\"ref\":\"r4\",\"conversationId\":\"conv-assistant\",\"replyTo\":7}");
        assertEquals(JSON.readTree("{\"type\":\"ok\",\"ref\":\"r4\"}"), client.next());
        // without a ref a stop is not answered: a ping behind it shows nothing came for it
        client.send("{\"type\":\"assistant_stop\",\"conversationId\":\"conv-assistant\",\"replyTo\":8}");
        client.send("{\"type\":\"ping\",\"ref\":\"p\"}");
        assertEquals("pong", client.next().get("type").asText());

        List<ConsumerRecord<String, AssistantStop>> stops = fixture.readUntil(fixture.catalogue.assistantControl(),
                r -> r.value().getReplyTo() == 8);
        assertEquals(2, stops.size(), "only the member's stops of the assistant conversation: " + stops);
        for (ConsumerRecord<String, AssistantStop> stop : stops) {
            assertEquals("conv-assistant", stop.key());
            assertEquals("conv-assistant", stop.value().getConversationId());
            assertEquals("user-s", stop.value().getUserId());
            assertFalse(stop.value().getAt().isAfter(Instant.now()));
        }
        assertEquals(List.of(7L, 8L), stops.stream().map(r -> r.value().getReplyTo()).toList());
        client.closeNormally();
    }

    @Test
    void aStreamItemBecomesAnAssistantStreamFrameAndAFailedAnswerSaysSo() throws Exception {
        WsTestClient client = fixture.connect("token-u");
        String sessionId = fixture.awaitUserCommand("user-u", SessionOpened.class).getSessionId();

        fixture.toEgress("user-u", sessionId, new ReplayStarted("dev-u", 0L), new ReplayFinished(0L),
                new AssistantStream("conv-a", "user-u", 3L, 0, "Hel", false, TS),
                new AssistantStream("conv-a", "user-u", 3L, 3, "", true, TS),
                new LoggedEvent(1L, new UserEvent("user-u", new ChatMessage("conv-a", 4L, "msg-4",
                        AssistantUser.answerClientId(3), AssistantUser.ID, AssistantUser.DEVICE_ID,
                        "the model did not answer", TS, null, 3L, List.of(), true))));

        assertEquals("ready", client.nextSummary());
        assertEquals("synced", client.nextSummary());
        assertEquals(JSON.readTree("""
                {"type":"assistant_stream","conversationId":"conv-a","replyTo":3,"offset":0,"delta":"Hel",
                 "done":false}"""), client.next());
        assertEquals(JSON.readTree("""
                {"type":"assistant_stream","conversationId":"conv-a","replyTo":3,"offset":3,"delta":"","done":true}"""),
                client.next());
        JsonNode answer = client.next();
        assertEquals("message", answer.get("type").asText());
        assertEquals(1, answer.get("userSeq").asLong());
        assertEquals(3, answer.get("replyTo").asLong());
        assertTrue(answer.get("failed").asBoolean(), String.valueOf(answer));
        client.closeNormally();
    }

    private static void assertError(JsonNode frame, String ref, String code) {
        assertEquals("error", frame.get("type").asText(), String.valueOf(frame));
        assertEquals(ref, frame.get("ref").asText());
        assertEquals(code, frame.get("code").asText(), String.valueOf(frame));
    }
}
