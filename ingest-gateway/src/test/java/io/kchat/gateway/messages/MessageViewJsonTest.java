package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.json.Json;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The message object's exact JSON: plain messages as before encryption and updates existed, encrypted ones without a
 * body, deleted ones without content.
 */
class MessageViewJsonTest {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant TS = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aPlainMessageHasNoEncryptionFields() throws Exception {
        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"body\":\"hi\",\"ts\":\"2026-01-01T00:00:00Z\"}",
                JSON.writeValueAsString(new MessageView("c1", 7, "m-7", "c-7", "ann", "hi", TS)));
    }

    @Test
    void anEncryptedMessageHasItsDevicesEnvelopeInBase64UrlAndNoBody() throws Exception {
        EnvelopeView envelope = EnvelopeView.of("ann-phone", "p256-aesgcm-v1", new byte[] {(byte) 0xfb, (byte) 0xff});
        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"ts\":\"2026-01-01T00:00:00Z\",\"encrypted\":true,\"envelope\":{\"senderDeviceId\":"
                        + "\"ann-phone\",\"algorithm\":\"p256-aesgcm-v1\",\"ciphertext\":\"-_8\"}}",
                JSON.writeValueAsString(MessageView.encrypted("c1", 7, "m-7", "c-7", "ann", TS, envelope)));
        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"ts\":\"2026-01-01T00:00:00Z\",\"encrypted\":true}",
                JSON.writeValueAsString(MessageView.encrypted("c1", 7, "m-7", "c-7", "ann", TS, null)));
    }

    @Test
    void anEncryptedMessageCannotCarryABody() {
        assertThrows(IllegalArgumentException.class,
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", "", TS, true, null, null, null, null, null));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", "hi", TS, false, null, null, null, null, null));
    }

    @Test
    void anUpdatedMessageShowsItsReplyEditAndReactionsAfterTheOtherFields() throws Exception {
        MessageView edited = new MessageView("c1", 7, "m-7", "c-7", "ann", "hi", TS, null, null, 6L,
                TS.plusSeconds(60), null, null).withReactions(List.of(new ReactionView("\uD83D\uDC4D", 2, true),
                new ReactionView("\u2764", 1, false)));
        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"body\":\"hi\",\"ts\":\"2026-01-01T00:00:00Z\",\"replyTo\":6,"
                        + "\"editedAt\":\"2026-01-01T00:01:00Z\",\"reactions\":[{\"key\":\"\uD83D\uDC4D\",\"count\":2,"
                        + "\"me\":true},{\"key\":\"\u2764\",\"count\":1,\"me\":false}]}",
                JSON.writeValueAsString(edited));
        assertEquals(edited, edited.withReactions(edited.reactions()));
        assertEquals(null, edited.withReactions(List.of()).reactions(), "no reactions: absent, not an empty list");
    }

    @Test
    void aDeletedMessageHasNoContent() throws Exception {
        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"ts\":\"2026-01-01T00:00:00Z\",\"replyTo\":6,\"deleted\":true}",
                JSON.writeValueAsString(new MessageView("c1", 7, "m-7", "c-7", "ann", null, TS, null, null, 6L, null,
                        true, null)));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", "hi", TS, null, null, null, null, true, null));
        assertThrows(IllegalArgumentException.class, () -> new MessageView("c1", 7, "m-7", "c-7", "ann", null, TS,
                null, null, null, null, true, List.of(new ReactionView("x", 1, false))));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", null, TS, null, null, null, null, false, null));
    }

    @Test
    void attachmentsAreAbsentWhenNoneAndGoWithADelete() throws Exception {
        MessageView plain = new MessageView("c1", 7, "m-7", "c-7", "ann", "", TS);
        AttachmentView photo = new AttachmentView("media-1", "image/png", 10, null, 2, 3, null);

        assertEquals("{\"conversationId\":\"c1\",\"seq\":7,\"messageId\":\"m-7\",\"id\":\"c-7\",\"senderId\":\"ann\","
                        + "\"body\":\"\",\"ts\":\"2026-01-01T00:00:00Z\",\"attachments\":[{\"mediaId\":\"media-1\","
                        + "\"contentType\":\"image/png\",\"size\":10,\"width\":2,\"height\":3}]}",
                JSON.writeValueAsString(plain.withAttachments(List.of(photo))));
        assertEquals(null, plain.withAttachments(List.of()).attachments(), "no attachments: absent, not []");
        assertEquals(List.of(photo), plain.withAttachments(List.of(photo)).withReactions(
                List.of(new ReactionView("x", 1, true))).attachments(), "reactions keep the attachments");
        assertThrows(IllegalArgumentException.class, () -> new MessageView("c1", 7, "m-7", "c-7", "ann", null, TS,
                null, null, null, null, true, null, List.of(photo)));
    }
}
