package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.json.Json;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The message object's exact JSON: plain messages as before encryption existed, encrypted ones without a body. */
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
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", "", TS, true, null));
        assertThrows(IllegalArgumentException.class,
                () -> new MessageView("c1", 7, "m-7", "c-7", "ann", "hi", TS, false, null));
    }
}
