package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.firstOfEachUserSeq;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.type;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kchat.local.PlaintextScan.Finding;
import io.kchat.local.PlaintextScan.Place;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * End-to-end encrypted conversations through all three services, with raw frames: the server takes per-device
 * envelopes it cannot read, checks only whom they are addressed to, and hands each device its own, live, in replay and
 * in history. The envelopes here are opaque bytes of the test's choosing (the server never decrypts); what the
 * envelopes would "say" never goes on the wire, and a body sent to the encrypted conversation is refused before it is
 * kept anywhere, which {@link PlaintextScan} checks.
 */
class EncryptedConversationE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ALGORITHM = "test-opaque-v1";
    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("encrypted", stateDir);
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    /** One signed-in device: its login answer ({userId, deviceId, accessToken}). */
    record Device(JsonNode login) {
        String userId() {
            return ChatClients.userId(login);
        }

        String deviceId() {
            return login.path("deviceId").asText();
        }

        String token() {
            return ChatClients.token(login);
        }

        String name() {
            return userId() + "/" + deviceId();
        }
    }

    /** Alice on two devices, bob on one, every device with published keys. */
    private record Cast(Device laptop, Device phone, Device bob) {
        List<Device> all() {
            return List.of(laptop, phone, bob);
        }
    }

    private static Cast cast(String tag) throws Exception {
        http.newUser(tag + "_alice");
        http.newUser(tag + "_bob");
        Cast cast = new Cast(new Device(http.login(tag + "_alice", "alice-laptop")),
                new Device(http.login(tag + "_alice", "alice-phone")), new Device(http.login(tag + "_bob", "bob-phone")));
        for (Device device : cast.all()) {
            Http.Response published = http.put("/v1/keys", device.token(), DeviceKeys.bundle(2));
            assertEquals(200, published.status(), device.name() + ": " + published);
        }
        return cast;
    }

    /** A direct conversation: a pair may have a plain one and an encrypted one side by side. */
    private static String conversation(Device creator, Device with, boolean encrypted) throws Exception {
        Http.Response created = http.post("/v1/conversations", creator.token(),
                "{\"type\":\"direct\",\"userId\":\"" + with.userId() + "\"" + (encrypted ? ",\"encrypted\":true}" : "}"));
        assertEquals(201, created.status(), created.toString());
        assertEquals(encrypted, created.body().path("encrypted").asBoolean(), created.toString());
        return created.body().path("conversationId").asText();
    }

    /** Opaque bytes for each recipient device: unique, and nothing like a plaintext. */
    private static Map<Device, byte[]> envelopes(String id, List<Device> recipients) {
        Map<Device, byte[]> envelopes = new LinkedHashMap<>();
        recipients.forEach(d -> envelopes.put(d, ("opaque:" + id + ":" + d.deviceId() + ":" + UUID.randomUUID())
                .getBytes(StandardCharsets.UTF_8)));
        return envelopes;
    }

    private static String encryptedSend(String ref, String id, String conversationId, Device sender,
                                        Map<Device, byte[]> envelopes) {
        ObjectNode frame = JSON.createObjectNode().put("type", "send").put("ref", ref).put("id", id)
                .put("conversationId", conversationId);
        ObjectNode ciphertext = frame.putObject("ciphertext").put("algorithm", ALGORITHM)
                .put("senderDeviceId", sender.deviceId());
        ArrayNode list = ciphertext.putArray("envelopes");
        envelopes.forEach((device, bytes) -> list.addObject().put("userId", device.userId())
                .put("deviceId", device.deviceId()).put("ciphertext", DeviceKeys.base64(bytes)));
        return frame.toString();
    }

    private static String plainSend(String ref, String id, String conversationId, String body) {
        return JSON.createObjectNode().put("type", "send").put("ref", ref).put("id", id)
                .put("conversationId", conversationId).put("body", body).toString();
    }

    private static Predicate<JsonNode> answerTo(String ref) {
        return f -> (type("ok").test(f) || type("error").test(f)) && f.path("ref").asText().equals(ref);
    }

    /** The first answer to {@code ref}, which must be an error (no `ok` came before it). */
    private static JsonNode refused(WsClient ws, String ref) throws InterruptedException {
        JsonNode answer = ws.await(answerTo(ref), WAIT);
        assertEquals("error", answer.path("type").asText(), "refused before ok: " + answer);
        return answer;
    }

    /** Checks the device's copy of a message: encrypted, no body, no envelope (the sender wrote none for it). */
    private static void assertNoEnvelope(JsonNode message, Device reader) {
        assertEncryptedWithoutBody(message, reader);
        assertFalse(message.has("envelope"), reader.name() + " got " + message);
    }

    private static void assertEncryptedWithoutBody(JsonNode message, Device reader) {
        String what = reader.name() + " got " + message;
        assertTrue(message.path("encrypted").asBoolean(), what);
        assertFalse(message.has("body"), "no body: " + what);
        assertFalse(message.has("ciphertext"), "never the whole ciphertext: " + what);
    }

    /** Checks the device's copy of a message: encrypted, no body, exactly its own envelope. */
    private static void assertOwnEnvelope(JsonNode message, Device reader, Device sender, byte[] expected) {
        String what = reader.name() + " got " + message;
        assertEncryptedWithoutBody(message, reader);
        JsonNode envelope = message.path("envelope");
        assertEquals(Set.of("senderDeviceId", "algorithm", "ciphertext"), fieldNames(envelope), what);
        assertEquals(sender.deviceId(), envelope.path("senderDeviceId").asText(), what);
        assertEquals(ALGORITHM, envelope.path("algorithm").asText(), what);
        assertEquals(DeviceKeys.base64(expected), envelope.path("ciphertext").asText(), what);
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<JsonNode> history(Device reader, String conversationId) throws Exception {
        Http.Response page = http.get("/v1/conversations/" + conversationId + "/messages", reader.token());
        assertEquals(200, page.status(), page.toString());
        return StreamSupport.stream(page.body().path("messages").spliterator(), false).toList();
    }

    @Test
    void eachDeviceGetsExactlyItsOwnEnvelopeLiveInReplayAndInHistory() throws Exception {
        Cast cast = cast("live");
        String conversationId = conversation(cast.laptop(), cast.bob(), true);
        Map<Device, byte[]> first = envelopes("e1", List.of(cast.phone(), cast.bob()));
        // the sending device's own envelope is optional: without it, it cannot read its message back from history
        Map<Device, byte[]> second = envelopes("e2", List.of(cast.laptop(), cast.phone(), cast.bob()));
        try (WsClient laptopWs = clients.online(cast.laptop().login()); WsClient phoneWs = clients.online(cast.phone().login())) {
            try (WsClient bobWs = clients.online(cast.bob().login())) {
                laptopWs.send(encryptedSend("r1", "e1", conversationId, cast.laptop(), first));
                assertEquals("ok", laptopWs.await(answerTo("r1"), WAIT).path("type").asText());
                assertOwnEnvelope(message(phoneWs, "e1"), cast.phone(), cast.laptop(), first.get(cast.phone()));
                assertOwnEnvelope(message(bobWs, "e1"), cast.bob(), cast.laptop(), first.get(cast.bob()));
                assertNoEnvelope(message(laptopWs, "e1"), cast.laptop());
            }
            // bob offline: his copy waits in his queue
            laptopWs.send(encryptedSend("r2", "e2", conversationId, cast.laptop(), second));
            assertEquals("ok", laptopWs.await(answerTo("r2"), WAIT).path("type").asText());
            assertOwnEnvelope(message(phoneWs, "e2"), cast.phone(), cast.laptop(), second.get(cast.phone()));
            assertOwnEnvelope(message(laptopWs, "e2"), cast.laptop(), cast.laptop(), second.get(cast.laptop()));
        }
        try (WsClient bobWs = WsClient.connect(stack.port(), cast.bob().token())) {
            List<JsonNode> replayed = firstOfEachUserSeq(bobWs.collectUntil(type("synced"), WAIT)).stream()
                    .filter(type("message")).toList();
            assertEquals(List.of("e1", "e2"), replayed.stream().map(m -> m.path("id").asText()).toList());
            assertOwnEnvelope(replayed.get(1), cast.bob(), cast.laptop(), second.get(cast.bob()));
        }

        await().atMost(WAIT).until(() -> history(cast.bob(), conversationId).size() == 2);
        for (Device reader : List.of(cast.phone(), cast.bob())) {
            List<JsonNode> messages = history(reader, conversationId);
            assertEquals(List.of(1L, 2L), messages.stream().map(m -> m.path("seq").asLong()).toList());
            assertOwnEnvelope(messages.get(0), reader, cast.laptop(), first.get(reader));
            assertOwnEnvelope(messages.get(1), reader, cast.laptop(), second.get(reader));
        }
        List<JsonNode> laptopHistory = history(cast.laptop(), conversationId);
        assertNoEnvelope(laptopHistory.get(0), cast.laptop());
        assertOwnEnvelope(laptopHistory.get(1), cast.laptop(), cast.laptop(), second.get(cast.laptop()));
    }

    @Test
    void aSendMissingOrAddingADeviceIsRefusedBeforeOkTakesNoSeqAndNoBodyIsKeptAnywhere() throws Exception {
        String body = "the plaintext nobody may keep " + UUID.randomUUID();
        try (PlaintextScan scan = PlaintextScan.start(stack)) {
            Cast cast = cast("refused");
            String encrypted = conversation(cast.laptop(), cast.bob(), true);
            String plain = conversation(cast.laptop(), cast.bob(), false);
            Device ghost = new Device(JSON.createObjectNode().put("userId", cast.bob().userId())
                    .put("deviceId", "not-a-device-of-bob").put("accessToken", ""));
            try (WsClient laptopWs = clients.online(cast.laptop().login());
                 WsClient bobWs = clients.online(cast.bob().login())) {
                laptopWs.send(encryptedSend("r0", "m0", encrypted, cast.laptop(),
                        envelopes("m0", List.of(cast.phone(), cast.bob()))));
                assertEquals(1, message(bobWs, "m0").path("seq").asLong());
                laptopWs.send(encryptedSend("r1", "m1", encrypted, cast.laptop(), envelopes("m1", List.of(cast.bob()))));
                JsonNode missing = refused(laptopWs, "r1");
                assertEquals("conflict", missing.path("code").asText(), missing.toString());
                assertEquals("m1", missing.path("id").asText());
                assertEquals(List.of(Map.of("userId", cast.phone().userId(), "deviceId", cast.phone().deviceId())),
                        devices(missing.path("missingDevices")), missing.toString());
                assertEquals(List.of(), devices(missing.path("extraDevices")), missing.toString());

                laptopWs.send(encryptedSend("r2", "m2", encrypted, cast.laptop(),
                        envelopes("m2", List.of(cast.phone(), cast.bob(), ghost))));
                JsonNode extra = refused(laptopWs, "r2");
                assertEquals("conflict", extra.path("code").asText(), extra.toString());
                assertEquals(List.of(Map.of("userId", cast.bob().userId(), "deviceId", "not-a-device-of-bob")),
                        devices(extra.path("extraDevices")), extra.toString());
                assertEquals(List.of(), devices(extra.path("missingDevices")), extra.toString());

                laptopWs.send(plainSend("r3", "m3", encrypted, body));
                assertEquals("bad_request", refused(laptopWs, "r3").path("code").asText());
                Http.Response overHttp = http.post("/v1/conversations/" + encrypted + "/messages", cast.laptop().token(),
                        JSON.createObjectNode().put("id", "m3h").put("body", body).toString());
                assertEquals(400, overHttp.status(), "the HTTP send path refuses a body too: " + overHttp);
                laptopWs.send(encryptedSend("r4", "m4", plain, cast.laptop(), envelopes("m4", List.of(cast.bob()))));
                assertEquals("bad_request", refused(laptopWs, "r4").path("code").asText());

                Map<Device, byte[]> accepted = envelopes("m5", List.of(cast.phone(), cast.bob()));
                laptopWs.send(encryptedSend("r5", "m5", encrypted, cast.laptop(), accepted));
                assertEquals("ok", laptopWs.await(answerTo("r5"), WAIT).path("type").asText());
                JsonNode delivered = message(bobWs, "m5");
                assertEquals(2, delivered.path("seq").asLong(), "the refused sends took no seq");
                assertOwnEnvelope(delivered, cast.bob(), cast.laptop(), accepted.get(cast.bob()));
                assertTrue(bobWs.seen().stream().noneMatch(f -> Set.of("m1", "m2", "m3", "m3h", "m4").contains(f.path("id").asText())),
                        "nothing refused reached bob: " + bobWs.seen());

                await().atMost(WAIT).until(() -> history(cast.bob(), encrypted).size() == 2);
                // the scan sees where encrypted messages are kept: bob's envelope, as the server stores it
                String bobsEnvelope = new String(accepted.get(cast.bob()), StandardCharsets.UTF_8);
                List<Finding> envelopeFound = scan.findings(bobsEnvelope);
                assertTrue(envelopeFound.stream().anyMatch(f -> f.place() == Place.DATABASE), envelopeFound.toString());
                assertTrue(envelopeFound.stream().anyMatch(f -> f.place() == Place.TOPIC), envelopeFound.toString());

                assertEquals(List.of(), scan.findings(body), "the refused body is kept nowhere");
            }
        }
    }

    /** A list of {userId, deviceId} as maps, in the order given. */
    private static List<Map<String, String>> devices(JsonNode list) {
        return StreamSupport.stream(list.spliterator(), false)
                .map(d -> Map.of("userId", d.path("userId").asText(), "deviceId", d.path("deviceId").asText()))
                .collect(Collectors.toList());
    }
}
