package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * History and the conversation list of an encrypted conversation, over archive rows written as the delivery-service
 * writes them: each device gets only the envelope addressed to it, and no body.
 */
class EncryptedHistoryIT {

    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String ALGORITHM = "p256-aesgcm-v1";
    private static final Set<String> PLAIN_FIELDS =
            fields("conversationId", "seq", "messageId", "id", "senderId", "body", "ts");
    private static final Set<String> ENCRYPTED_FIELDS =
            fields("conversationId", "seq", "messageId", "id", "senderId", "ts", "encrypted", "envelope");
    private static final Set<String> ENCRYPTED_WITHOUT_ENVELOPE =
            fields("conversationId", "seq", "messageId", "id", "senderId", "ts", "encrypted");

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login annPhone;
    private static Login annLaptop;
    private static Login annTablet;
    private static String conversationId;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("EncryptedHistoryIT");
        client = fixture.client;
        TestUsers.register(client, "ann");
        annPhone = TestUsers.login(client, "ann", "ann-phone");
        annLaptop = TestUsers.login(client, "ann", "ann-laptop");
        annTablet = TestUsers.login(client, "ann", "ann-tablet");
        Login ben = TestUsers.registerAndLogin(client, "ben");
        conversationId = TestConversations.group(client, annPhone, "secret", ben);

        ReadModelRows rows = new ReadModelRows(fixture.database);
        rows.update("UPDATE conversations SET encrypted = true WHERE conversation_id = ?", conversationId);
        rows.message(conversationId, 1, ben.userId(), "from before", START.plusSeconds(1));
        encryptedMessage(rows, 2, ben.userId(), START.plusSeconds(2), Map.of(
                annPhone.userId() + "/ann-phone", new byte[] {(byte) 0xfb, (byte) 0xff},
                annLaptop.userId() + "/ann-laptop", new byte[] {1, 2, 3, 4},
                ben.userId() + "/ben-phone", new byte[] {9},
                // another user's device of the same name: never ann's tablet's
                ben.userId() + "/ann-tablet", new byte[] {7, 7}));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void eachDeviceReadsOnlyItsOwnEnvelopeAndNoBody() {
        JsonNode phone = history(annPhone).get(1);
        assertEquals(ENCRYPTED_FIELDS, fields(phone));
        assertEquals(2, phone.get("seq").asLong());
        assertEquals("m-2", phone.get("messageId").asText());
        assertEquals("c-2", phone.get("id").asText());
        assertEquals(true, phone.get("encrypted").asBoolean());
        // 0xfbff is "+/8=" in plain base64: base64url without padding
        assertEquals(envelope("-_8"), phone.get("envelope"));

        JsonNode laptop = history(annLaptop).get(1);
        assertEquals(ENCRYPTED_FIELDS, fields(laptop));
        assertEquals(envelope("AQIDBA"), laptop.get("envelope"));

        JsonNode tablet = history(annTablet).get(1);
        assertEquals(ENCRYPTED_WITHOUT_ENVELOPE, fields(tablet), "the sender wrote nothing for this device");
        assertEquals(true, tablet.get("encrypted").asBoolean());
    }

    @Test
    void plainMessagesKeepTheirShape() {
        JsonNode plain = history(annTablet).get(0);
        assertEquals(PLAIN_FIELDS, fields(plain));
        assertEquals("from before", plain.get("body").asText());
    }

    @Test
    void theLastMessageInTheListIsTheDevicesOwnToo() {
        JsonNode phone = lastMessageInList(annPhone);
        assertEquals(ENCRYPTED_FIELDS, fields(phone));
        assertEquals(2, phone.get("seq").asLong());
        assertEquals(envelope("-_8"), phone.get("envelope"));
        assertEquals(envelope("AQIDBA"), lastMessageInList(annLaptop).get("envelope"));
        assertEquals(ENCRYPTED_WITHOUT_ENVELOPE, fields(lastMessageInList(annTablet)));

        Answer one = client.get("/v1/conversations/" + conversationId, annLaptop.accessToken());
        assertEquals(200, one.status(), String.valueOf(one.body()));
        assertEquals(ENCRYPTED_FIELDS, fields(one.body().get("lastMessage")));
        assertEquals(envelope("AQIDBA"), one.body().get("lastMessage").get("envelope"));
    }

    private static void encryptedMessage(ReadModelRows rows, long seq, String senderId, Instant ts,
                                         Map<String, byte[]> envelopes) {
        rows.update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts,
                                      encrypted, algorithm)
                VALUES (?, ?, ?, ?, ?, 'ben-phone', '', ?, true, ?)""", conversationId, seq, "m-" + seq, "c-" + seq,
                senderId, ts, ALGORITHM);
        envelopes.forEach((device, ciphertext) -> rows.update("""
                INSERT INTO message_envelopes (conversation_id, seq, user_id, device_id, ciphertext)
                VALUES (?, ?, ?, ?, ?)""", conversationId, seq, device.substring(0, device.indexOf('/')),
                device.substring(device.indexOf('/') + 1), ciphertext));
        rows.update("UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE conversation_id = ?",
                seq, ts, conversationId);
    }

    private static JsonNode envelope(String ciphertext) {
        return JsonNodeFactory.instance.objectNode()
                .put("senderDeviceId", "ben-phone").put("algorithm", ALGORITHM).put("ciphertext", ciphertext);
    }

    private static JsonNode history(Login device) {
        Answer answer = client.get("/v1/conversations/" + conversationId + "/messages", device.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        JsonNode messages = answer.body().get("messages");
        assertEquals(2, messages.size(), String.valueOf(messages));
        return messages;
    }

    private static JsonNode lastMessageInList(Login device) {
        Answer answer = client.get("/v1/conversations", device.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        for (JsonNode conversation : answer.body().get("conversations")) {
            if (conversation.get("conversationId").asText().equals(conversationId)) {
                return conversation.get("lastMessage");
            }
        }
        throw new AssertionError("not in the list: " + answer.body());
    }

    /** Sorted, so that a failure reads side by side. */
    private static Set<String> fields(String... names) {
        return new TreeSet<>(List.of(names));
    }

    private static Set<String> fields(JsonNode message) {
        Set<String> names = new TreeSet<>();
        message.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
