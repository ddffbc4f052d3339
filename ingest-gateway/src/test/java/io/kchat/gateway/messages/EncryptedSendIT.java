package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.events.Envelope;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.keys.DeviceKeyPairs;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sends to end-to-end encrypted conversations over HTTP, against a real broker and database: the content kind, the
 * envelopes against the members' devices with keys, and that nothing refused reaches chat.inbound.
 */
class EncryptedSendIT {

    private static final int MAX_ENVELOPES = 4;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login annLaptop;
    private static Login annPhone;
    private static Login benPhone;
    private static Login benOld;
    private static String encrypted;
    private static String plain;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("EncryptedSendIT", ConversationConfig.defaults()
                .withEncryption(new EncryptionLimits(MAX_ENVELOPES, 64)));
        client = fixture.client;
        TestUsers.register(client, "ann");
        annLaptop = TestUsers.login(client, "ann", "ann-laptop");
        annPhone = TestUsers.login(client, "ann", "ann-phone");
        TestUsers.register(client, "ben");
        benPhone = TestUsers.login(client, "ben", "ben-phone");
        benOld = TestUsers.login(client, "ben", "ben-old"); // never publishes keys: not a recipient
        for (Login device : List.of(annLaptop, annPhone, benPhone)) {
            assertEquals(200, client.put("/v1/keys", DeviceKeyPairs.bundle(DeviceKeyPairs.generate(),
                    DeviceKeyPairs.generate(), "spk-1", 0, 1), device.accessToken()).status());
        }
        encrypted = create("{\"type\":\"group\",\"title\":\"secret\",\"memberIds\":[\"" + benPhone.userId()
                + "\"],\"encrypted\":true}");
        plain = create("{\"type\":\"group\",\"title\":\"open\",\"memberIds\":[\"" + benPhone.userId() + "\"]}");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theFlagIsShownAndAPairMayHaveOnePlainAndOneEncryptedDirectConversation() {
        assertTrue(client.get("/v1/conversations/" + encrypted, annLaptop.accessToken()).body().get("encrypted")
                .asBoolean());
        assertEquals(false, client.get("/v1/conversations/" + plain, annLaptop.accessToken()).body().get("encrypted")
                .asBoolean());

        String direct = "{\"type\":\"direct\",\"userId\":\"" + benPhone.userId() + "\"";
        Answer plainDirect = client.post("/v1/conversations", direct + "}", annLaptop.accessToken());
        Answer secretDirect = client.post("/v1/conversations", direct + ",\"encrypted\":true}", annLaptop.accessToken());
        Answer again = client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":\"" + annLaptop.userId()
                + "\",\"encrypted\":true}", benPhone.accessToken());
        assertEquals(201, plainDirect.status());
        assertEquals(201, secretDirect.status());
        assertNotEquals(plainDirect.text("conversationId"), secretDirect.text("conversationId"));
        assertEquals(200, again.status(), "the encrypted one exists: answered, not made twice");
        assertEquals(secretDirect.text("conversationId"), again.text("conversationId"));
        assertTrue(again.body().get("encrypted").asBoolean());
    }

    @Test
    void aSendWithAnEnvelopeForEveryDeviceWithKeysIsPublishedWithoutABody() {
        Answer answer = send(annLaptop, encrypted, "ok-1", envelopes(annLaptop, annPhone, benPhone));

        assertEquals(202, answer.status(), String.valueOf(answer.body()));
        SendMessage published = sendsTo(encrypted).stream().filter(s -> s.getClientId().equals("ok-1")).findFirst()
                .orElseThrow();
        assertEquals("", published.getBody());
        assertEquals("ann-laptop", published.getCiphertext().getSenderDeviceId());
        assertEquals(List.of("ann-laptop", "ann-phone", "ben-phone"),
                published.getCiphertext().getEnvelopes().stream().map(Envelope::getDeviceId).toList());
        assertEquals(202, send(annLaptop, encrypted, "ok-2", envelopes(annPhone, benPhone)).status(),
                "the sending device's own envelope is optional");
    }

    @Test
    void envelopesThatDoNotMatchTheDevicesAre409NamingThemAndNothingIsPublished() {
        int before = sendsTo(encrypted).size();

        Answer missing = send(annLaptop, encrypted, "m-1", envelopes(annLaptop, annPhone));
        assertEquals(409, missing.status(), String.valueOf(missing.body()));
        assertEquals("conflict", missing.text("code"));
        assertEquals(devices(benPhone), missing.body().get("missingDevices"));
        assertEquals(0, missing.body().get("extraDevices").size());

        Answer extra = send(annLaptop, encrypted, "m-2", envelopes(annPhone, benPhone, benOld));
        assertEquals(409, extra.status());
        assertEquals(devices(benOld), extra.body().get("extraDevices"), "a device without keys is no recipient");

        Login stranger = TestUsers.registerAndLogin(client, "stranger");
        Answer outsider = send(annLaptop, encrypted, "m-3", envelopes(annPhone, benPhone, stranger));
        assertEquals(409, outsider.status());
        assertEquals(devices(stranger), outsider.body().get("extraDevices"), "no envelope for a non-member");

        assertEquals(before, sendsTo(encrypted).size());
    }

    @Test
    void theWrongKindOfContentIsRefusedBeforeItIsPublished() {
        int encryptedBefore = sendsTo(encrypted).size();
        int plainBefore = sendsTo(plain).size();

        assertProblem(client.post("/v1/conversations/" + encrypted + "/messages",
                "{\"id\":\"k-1\",\"body\":\"meet at noon\"}", annLaptop.accessToken()), 400);
        assertProblem(send(annLaptop, plain, "k-2", envelopes(annPhone, benPhone)), 400);
        assertProblem(client.post("/v1/conversations/" + encrypted + "/messages", "{\"id\":\"k-3\",\"body\":\"x\","
                + "\"ciphertext\":" + ciphertext("ann-laptop", envelopes(annPhone, benPhone)) + "}",
                annLaptop.accessToken()), 400);

        assertEquals(encryptedBefore, sendsTo(encrypted).size());
        assertEquals(plainBefore, sendsTo(plain).size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"nope\"", "{}", "{\"algorithm\":\"a\",\"senderDeviceId\":\"ann-laptop\",\"envelopes\":[]}",
            "{\"algorithm\":\"a\",\"senderDeviceId\":\"ann-laptop\",\"envelopes\":[{\"userId\":\"u\",\"deviceId\":\"d\"}]}",
            "{\"algorithm\":\"a\",\"senderDeviceId\":\"ann-laptop\",\"envelopes\":[{\"userId\":\"u\",\"deviceId\":\"d\",\"ciphertext\":\"a+b/\"}]}",
            "{\"algorithm\":\"\",\"senderDeviceId\":\"ann-laptop\",\"envelopes\":[{\"userId\":\"u\",\"deviceId\":\"d\",\"ciphertext\":\"AA\"}]}",
            "{\"algorithm\":\"a\",\"senderDeviceId\":\"ann-laptop\",\"envelopes\":[{\"userId\":\"u\",\"deviceId\":\"d\",\"ciphertext\":\"AA\"},{\"userId\":\"u\",\"deviceId\":\"d\",\"ciphertext\":\"AQ\"}]}"})
    void malformedCiphertextsAre400(String ciphertext) {
        int before = sendsTo(encrypted).size();

        assertProblem(client.post("/v1/conversations/" + encrypted + "/messages",
                "{\"id\":\"bad\",\"ciphertext\":" + ciphertext + "}", annLaptop.accessToken()), 400);
        assertEquals(before, sendsTo(encrypted).size());
    }

    @Test
    void boundsOnEnvelopesAndTheSendingDeviceAreEnforced() {
        String tooBig = "[{\"userId\":\"" + benPhone.userId() + "\",\"deviceId\":\"ben-phone\",\"ciphertext\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[65]) + "\"}]";
        assertProblem(send(annLaptop, encrypted, "b-1", tooBig), 400);
        List<String> many = new ArrayList<>();
        for (int i = 0; i <= MAX_ENVELOPES; i++) {
            many.add(envelope(benPhone.userId(), "ben-" + i));
        }
        assertProblem(send(annLaptop, encrypted, "b-2", "[" + String.join(",", many) + "]"), 400);
        assertProblem(client.post("/v1/conversations/" + encrypted + "/messages", "{\"id\":\"b-3\",\"ciphertext\":"
                + ciphertext("ann-phone", envelopes(annPhone, benPhone)) + "}", annLaptop.accessToken()), 400);
    }

    @Test
    void aMemberSeparatedFromTheSenderByABlockIsNoRecipient() {
        Login cat = TestUsers.registerAndLogin(client, "cat");
        assertEquals(200, client.put("/v1/keys", DeviceKeyPairs.bundle(DeviceKeyPairs.generate(),
                DeviceKeyPairs.generate(), "spk-1", 0, 1), cat.accessToken()).status());
        String group = create("{\"type\":\"group\",\"title\":\"three\",\"memberIds\":[\"" + benPhone.userId()
                + "\",\"" + cat.userId() + "\"],\"encrypted\":true}");
        assertEquals(409, send(annLaptop, group, "g-1", envelopes(annPhone, benPhone)).status(), "cat has keys");

        assertEquals(204, client.put("/v1/blocks/" + annLaptop.userId(), "", cat.accessToken()).status());

        assertEquals(202, send(annLaptop, group, "g-2", envelopes(annPhone, benPhone)).status(),
                "ann cannot fetch cat's keys any more, so cat is not required");
        Answer toCat = send(annLaptop, group, "g-3", envelopes(annPhone, benPhone, cat));
        assertEquals(409, toCat.status());
        assertEquals(devices(cat), toCat.body().get("extraDevices"));
        assertEquals(202, send(benPhone, group, "g-4", envelopes(annLaptop, annPhone, cat)).status(),
                "others still write to cat");
    }

    /**
     * The WebSocket path has no membership check of its own before the content check: a stranger must learn nothing
     * of the conversation from it, as REST's 404 rule says, whatever the content's kind.
     */
    @Test
    void aStrangerLearnsNothingOfAConversationFromTheContentCheck() {
        ContentCheck check = new ContentCheck(fixture.database);
        Login stranger = TestUsers.registerAndLogin(client, "nosy");
        SealedContent sealed = new CiphertextParser(EncryptionLimits.DEFAULT).parse(JSON.createObjectNode()
                .put("algorithm", "test-v1").put("senderDeviceId", "elsewhere")
                .set("envelopes", JSON.createArrayNode().add(JSON.createObjectNode().put("userId", benPhone.userId())
                        .put("deviceId", "ben-phone").put("ciphertext", "AQ"))));

        for (String conversationId : List.of(encrypted, plain)) {
            for (SealedContent content : Arrays.asList(null, sealed)) {
                if (conversationId.equals(plain) && content == null) {
                    // fits: passed on, and the conversation side answers not_found, as for a conversation never heard of
                    check.require(conversationId, stranger.userId(), stranger.deviceId(), null);
                    check.require("no-such-conversation", stranger.userId(), stranger.deviceId(), null);
                    continue;
                }
                Refusal refused = assertThrows(Refusal.class,
                        () -> check.require(conversationId, stranger.userId(), stranger.deviceId(), content));
                assertEquals(Refusal.Kind.NOT_FOUND, refused.kind(), conversationId + " with " + content);
            }
        }
        Refusal member = assertThrows(Refusal.class,
                () -> check.require(encrypted, annLaptop.userId(), annLaptop.deviceId(), null));
        assertEquals(Refusal.Kind.INVALID, member.kind(), "a member is told what is wrong");
    }

    private static String create(String body) {
        Answer created = client.post("/v1/conversations", body, annLaptop.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.text("conversationId");
    }

    private static Answer send(Login from, String conversationId, String id, String envelopes) {
        return client.post("/v1/conversations/" + conversationId + "/messages",
                "{\"id\":\"" + id + "\",\"ciphertext\":" + ciphertext(from.deviceId(), envelopes) + "}",
                from.accessToken());
    }

    private static String ciphertext(String senderDeviceId, String envelopes) {
        return "{\"algorithm\":\"test-v1\",\"senderDeviceId\":\"" + senderDeviceId + "\",\"envelopes\":" + envelopes
                + "}";
    }

    private static String envelopes(Login... devices) {
        List<String> each = new ArrayList<>();
        for (Login device : devices) {
            each.add(envelope(device.userId(), device.deviceId()));
        }
        return "[" + String.join(",", each) + "]";
    }

    private static String envelope(String userId, String deviceId) {
        return "{\"userId\":\"" + userId + "\",\"deviceId\":\"" + deviceId + "\",\"ciphertext\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(("for " + deviceId)
                        .getBytes(StandardCharsets.UTF_8)) + "\"}";
    }

    private static JsonNode devices(Login device) {
        return JSON.createArrayNode().add(JSON.createObjectNode().put("userId", device.userId())
                .put("deviceId", device.deviceId()));
    }

    private static List<SendMessage> sendsTo(String conversationId) {
        return fixture.published(fixture.inboundTopic, conversationId).stream()
                .map(InboundCommand::getCommand)
                .filter(SendMessage.class::isInstance)
                .map(c -> assertInstanceOf(SendMessage.class, c))
                .toList();
    }

    private static void assertProblem(Answer answer, int status) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
    }
}
