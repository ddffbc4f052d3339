package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.AssistantStream;
import io.kchat.events.Attachment;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.ContactRequestView;
import io.kchat.events.ContactView;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Envelope;
import io.kchat.events.KeysChanged;
import io.kchat.events.LoggedEvent;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageUpdate;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.PresenceChanged;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import io.kchat.events.ReplayGap;
import io.kchat.events.Typing;
import io.kchat.events.SendRefused;
import io.kchat.events.SettingsChanged;
import io.kchat.events.UserEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The JSON clients see, field by field (docs/api.md, server to client), and what an unknown payload renders. */
class EventFramesTest {

    private static final Instant TS = Instant.parse("2030-01-02T03:04:05.678Z");
    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void chatMessageIsAMessageFrame() throws Exception {
        JsonNode frame = render(new ChatMessage("c1", 3L, "m-3", "client-1", "u2", "d2", "hello", TS, null, null, List.of(), false));
        assertEquals(mapper.readTree("""
                {"type":"message","userSeq":9,"conversationId":"c1","seq":3,"messageId":"m-3","id":"client-1",
                 "senderId":"u2","body":"hello","ts":"2030-01-02T03:04:05.678Z"}"""), frame);
    }

    @Test
    void attachmentsAreListedInOrderWithOnlyTheMembersThatApply() throws Exception {
        JsonNode frame = render(new ChatMessage("c1", 4L, "m-4", "client-2", "u2", "d2", "", TS, null, null, List.of(
                new Attachment("media-1", "image/png", 2048L, "cat.png", 640, 480, null),
                new Attachment("media-2", "audio/ogg", 999L, null, null, null, 4200L)), false));
        assertEquals(mapper.readTree("""
                {"type":"message","userSeq":9,"conversationId":"c1","seq":4,"messageId":"m-4","id":"client-2",
                 "senderId":"u2","body":"","ts":"2030-01-02T03:04:05.678Z","attachments":[
                 {"mediaId":"media-1","contentType":"image/png","size":2048,"name":"cat.png","width":640,"height":480},
                 {"mediaId":"media-2","contentType":"audio/ogg","size":999,"durationMs":4200}]}"""), frame);
    }

    @Test
    void anEncryptedMessageShowsEachDeviceOnlyItsOwnEnvelopeAndNoBody() throws Exception {
        ChatMessage message = new ChatMessage("c1", 3L, "m-3", "client-1", "u2", "d2", "", TS,
                new Ciphertext("alg-1", "d2", List.of(
                        new Envelope("u1", "d1", ByteBuffer.wrap(new byte[] {1, 2, (byte) 0xfb})),
                        new Envelope("u1", "d9", ByteBuffer.wrap(new byte[] {9})))), null, List.of(), false);
        assertEquals(mapper.readTree("""
                {"type":"message","userSeq":9,"conversationId":"c1","seq":3,"messageId":"m-3","id":"client-1",
                 "senderId":"u2","ts":"2030-01-02T03:04:05.678Z","encrypted":true,
                 "envelope":{"senderDeviceId":"d2","algorithm":"alg-1","ciphertext":"AQL7"}}"""), render(message, "d1"));
        assertEquals("CQ", render(message, "d9").at("/envelope/ciphertext").asText());
        JsonNode none = render(message, "d5");
        assertTrue(none.get("encrypted").asBoolean());
        assertFalse(none.has("envelope"), "no envelope for a device the sender did not write for");
        assertFalse(none.has("body"));
    }

    @Test
    void aMessageUpdateIsAMessageUpdateFrameWithTheDevicesOwnEnvelopeForAnEncryptedEdit() throws Exception {
        assertEquals(mapper.readTree("""
                {"type":"message_update","userSeq":9,"conversationId":"c1","seq":3,"kind":"reaction","userId":"u2",
                 "key":"ok","remove":false,"ts":"2030-01-02T03:04:05.678Z"}"""),
                render(new MessageUpdate("c1", 3L, "up-1", MessageUpdateKind.REACTION, "u2", null, null, "ok", false, TS)));
        assertEquals(mapper.readTree("""
                {"type":"message_update","userSeq":9,"conversationId":"c1","seq":3,"kind":"delete","userId":"u2",
                 "ts":"2030-01-02T03:04:05.678Z"}"""),
                render(new MessageUpdate("c1", 3L, "up-2", MessageUpdateKind.DELETE, "u2", null, null, null, false, TS)));
        JsonNode edit = render(new MessageUpdate("c1", 3L, "up-3", MessageUpdateKind.EDIT, "u2", null,
                new Ciphertext("alg-1", "d2", List.of(new Envelope("u1", "d1", ByteBuffer.wrap(new byte[] {1})),
                        new Envelope("u1", "d9", ByteBuffer.wrap(new byte[] {9})))), null, false, TS), "d9");
        assertEquals(mapper.readTree("{\"senderDeviceId\":\"d2\",\"algorithm\":\"alg-1\",\"ciphertext\":\"CQ\"}"),
                edit.get("ciphertext"));
        assertFalse(edit.has("body"));
        assertFalse(edit.has("remove"), "remove belongs to reactions");
    }

    @Test
    void sendRefusedIsAnErrorNamingTheClientId() throws Exception {
        JsonNode frame = render(new SendRefused("c1", "client-1", "d1", "forbidden", "not a member", TS));
        assertEquals(mapper.readTree("""
                {"type":"error","userSeq":9,"id":"client-1","conversationId":"c1","code":"forbidden",
                 "message":"not a member"}"""), frame);
    }

    @Test
    void conversationEventIsAConversationFrame() throws Exception {
        ConversationSnapshot snapshot = new ConversationSnapshot("c1", ConversationType.GROUP, "team",
                List.of(new Member("u1", MemberRole.OWNER), new Member("u2", MemberRole.MEMBER)), 4L, false, false, "m-avatar");
        JsonNode frame = render(new ConversationEvent(ConversationEventKind.MEMBER_ADDED, snapshot, TS));
        assertEquals(mapper.readTree("""
                {"type":"conversation","userSeq":9,"event":"member_added",
                 "conversation":{"conversationId":"c1","type":"group","title":"team",
                   "members":[{"userId":"u1","role":"owner"},{"userId":"u2","role":"member"}],"encrypted":false,
                   "avatarMediaId":"m-avatar"}}"""), frame);
    }

    @Test
    void receiptIsAReceiptFrame() throws Exception {
        assertEquals(mapper.readTree("""
                {"type":"receipt","userSeq":9,"conversationId":"c1","userId":"u2","kind":"delivered","seq":7}"""),
                render(new Receipt("c1", "u2", ReceiptKind.DELIVERED, 7L, TS)));
        assertEquals(mapper.readTree("""
                {"type":"receipt","userSeq":9,"conversationId":"c1","userId":"u2","kind":"read","seq":8}"""),
                render(new Receipt("c1", "u2", ReceiptKind.READ, 8L, TS)));
    }

    @Test
    void contactChangedIsAContactFrameWithTheRequestOrTheContactItHas() throws Exception {
        ContactRequestView request = new ContactRequestView("r1", "u1", "u2", "hi, it's Ann", "pending", TS);
        assertEquals(mapper.readTree("""
                {"type":"contact","userSeq":9,"event":"request",
                 "request":{"requestId":"r1","fromUserId":"u1","toUserId":"u2","message":"hi, it's Ann",
                   "state":"pending","ts":"2030-01-02T03:04:05.678Z"}}"""),
                render(new ContactChanged("e1", ContactEventKind.REQUEST, request, null, TS)));
        ContactView contact = new ContactView("u1", null, "Ann", TS);
        assertEquals(mapper.readTree("""
                {"type":"contact","userSeq":9,"event":"accepted",
                 "request":{"requestId":"r1","fromUserId":"u1","toUserId":"u2","state":"accepted",
                   "ts":"2030-01-02T03:04:05.678Z"},
                 "contact":{"userId":"u1","displayName":"Ann","since":"2030-01-02T03:04:05.678Z"}}"""),
                render(new ContactChanged("e2", ContactEventKind.ACCEPTED,
                        new ContactRequestView("r1", "u1", "u2", null, "accepted", TS), contact, TS)));
        assertEquals(mapper.readTree("""
                {"type":"contact","userSeq":9,"event":"removed",
                 "contact":{"userId":"u1","displayName":"Ann","since":"2030-01-02T03:04:05.678Z"}}"""),
                render(new ContactChanged("e3", ContactEventKind.REMOVED, null, contact, TS)));
    }

    @Test
    void keysChangedIsAKeysFrameNamingTheUser() throws Exception {
        assertEquals(mapper.readTree("{\"type\":\"keys\",\"userSeq\":9,\"userId\":\"u2\"}"),
                render(new KeysChanged("e1", "u2", TS)));
    }

    @Test
    void settingsChangedIsASettingsFrameWithTheWholeState() throws Exception {
        Instant until = Instant.parse("2030-01-02T04:00:00Z");
        assertEquals(mapper.readTree("""
                {"type":"settings","userSeq":9,"conversationId":"c1",
                 "settings":{"muted":true,"mutedUntil":"2030-01-02T04:00:00Z","pinned":false,"archived":true}}"""),
                render(new SettingsChanged("e1", "c1", true, until, false, true, TS)));
        assertEquals(mapper.readTree("""
                {"type":"settings","userSeq":9,"conversationId":"c1",
                 "settings":{"muted":false,"pinned":true,"archived":false}}"""),
                render(new SettingsChanged("e2", "c1", false, null, true, false, TS)),
                "no mutedUntil when not muted");
    }

    @Test
    void typingIsAnEphemeralFrameWithoutUserSeq() throws Exception {
        assertEquals(mapper.readTree("""
                {"type":"typing","conversationId":"c1","userId":"u2","active":true}"""),
                ephemeral(new Typing("c1", "u2", true, TS)));
        assertEquals(mapper.readTree("""
                {"type":"typing","conversationId":"c1","userId":"u2","active":false}"""),
                ephemeral(new Typing("c1", "u2", false, TS)));
    }

    @Test
    void anAssistantStreamIsAnEphemeralFrameWithoutTheRoutingUser() throws Exception {
        assertEquals(mapper.readTree("""
                {"type":"assistant_stream","conversationId":"c1","replyTo":5,"offset":3,"delta":"lo \u00e9","done":false}"""),
                ephemeral(new AssistantStream("c1", "u1", 5L, 3, "lo \u00e9", false, TS)));
        assertEquals(mapper.readTree("""
                {"type":"assistant_stream","conversationId":"c1","replyTo":5,"offset":7,"delta":"","done":true}"""),
                ephemeral(new AssistantStream("c1", "u1", 5L, 7, "", true, TS)));
    }

    @Test
    void aFailedAnswerSaysSoAndOtherMessagesLeaveTheFieldOff() throws Exception {
        JsonNode failed = render(new ChatMessage("c1", 6L, "m-6", "assistant-answer-5", "bot", "assistant",
                "the model did not answer", TS, null, 5L, List.of(), true));
        assertEquals(mapper.readTree("""
                {"type":"message","userSeq":9,"conversationId":"c1","seq":6,"messageId":"m-6","id":"assistant-answer-5",
                 "senderId":"bot","body":"the model did not answer","ts":"2030-01-02T03:04:05.678Z","replyTo":5,
                 "failed":true}"""), failed);
        assertFalse(render(new ChatMessage("c1", 6L, "m-6", "a", "bot", "assistant", "fine", TS, null, 5L, List.of(),
                false)).has("failed"));
    }

    @Test
    void presenceIsAnEphemeralFrameWithLastSeenInIso8601() throws Exception {
        assertEquals(mapper.readTree("""
                {"type":"presence","userId":"u2","online":false,"lastSeen":"2030-01-02T03:04:05.678Z"}"""),
                ephemeral(new PresenceChanged("u2", false, TS)));
        assertEquals("{\"type\":\"presence\",\"userId\":\"u2\",\"online\":true,\"lastSeen\":\"2030-01-02T03:04:05.678Z\"}",
                FrameJson.write(EventFrames.ephemeral(new PresenceChanged("u2", true, TS)).orElseThrow()));
    }

    @Test
    void unknownPayloadsAndItemsRenderNothing() {
        assertTrue(EventFrames.render(new LoggedEvent(9L, new UserEvent("u1", new Member("u1", MemberRole.OWNER))),
                "d1").isEmpty());
        assertTrue(EventFrames.ephemeral(new ReplayGap(3L)).isEmpty());
        assertFalse(EventFrames.isEphemeral(new ReplayGap(3L)));
    }

    @Test
    void absentOptionalFieldsAreLeftOff() throws Exception {
        assertEquals(mapper.readTree("{\"type\":\"ok\",\"id\":\"x\"}"),
                mapper.readTree(FrameJson.write(new ServerFrame.Ok(null, "x"))));
        assertEquals(mapper.readTree("{\"type\":\"pong\"}"), mapper.readTree(FrameJson.write(new ServerFrame.Pong(null))));
        assertEquals(mapper.readTree("{\"type\":\"error\",\"ref\":\"r\",\"code\":\"bad_request\",\"message\":\"m\"}"),
                mapper.readTree(FrameJson.write(ServerFrame.Error.of("r", null, ErrorCode.BAD_REQUEST, "m"))));
    }

    @Test
    void typeComesFirst() {
        assertEquals("{\"type\":\"synced\",\"userSeq\":5}", FrameJson.write(new ServerFrame.Synced(5)));
    }

    private JsonNode render(Object payload) throws Exception {
        return render(payload, "d1");
    }

    private JsonNode render(Object payload, String deviceId) throws Exception {
        return mapper.readTree(FrameJson.write(
                EventFrames.render(new LoggedEvent(9L, new UserEvent("u1", payload)), deviceId).orElseThrow()));
    }

    private JsonNode ephemeral(Object item) throws Exception {
        assertTrue(EventFrames.isEphemeral(item));
        return mapper.readTree(FrameJson.write(EventFrames.ephemeral(item).orElseThrow()));
    }
}
