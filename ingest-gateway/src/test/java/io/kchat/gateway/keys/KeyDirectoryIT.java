package io.kchat.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.KeysChanged;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.security.KeyPair;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key directory over the REST API, on a real database and broker. */
class KeyDirectoryIT {

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("KeyDirectoryIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static Answer upload(Login device, String bundle) {
        return client.put("/v1/keys", bundle, device.accessToken());
    }

    @Test
    void aDevicePublishesItsKeysCoMembersFetchThemAndEveryoneConcernedIsToldOnce() {
        Login ann = TestUsers.registerAndLogin(client, "ann");
        Login ben = TestUsers.registerAndLogin(client, "ben");
        Login stranger = TestUsers.registerAndLogin(client, "stranger");
        TestConversations.group(client, ann, "pair", ben);
        KeyPair identity = DeviceKeyPairs.generate();
        KeyPair signed = DeviceKeyPairs.generate();

        Answer first = upload(ann, DeviceKeyPairs.bundle(identity, signed, "spk-1", 0, 3));
        assertEquals(200, first.status(), String.valueOf(first.body()));
        assertEquals(3, first.body().get("oneTimePreKeyCount").asInt());
        assertEquals(3, client.get("/v1/keys/count", ann.accessToken()).body().get("oneTimePreKeyCount").asInt());

        Answer seen = client.get("/v1/users/" + ann.userId() + "/keys", ben.accessToken());
        assertEquals(200, seen.status());
        JsonNode device = seen.body().get("devices").get(0);
        assertEquals(ann.deviceId(), device.get("deviceId").asText());
        assertEquals(DeviceKeyPairs.rawBase64(identity), device.get("identityKey").asText());
        assertEquals("spk-1", device.at("/signedPreKey/keyId").asText());
        assertEquals(DeviceKeyPairs.rawBase64(signed), device.at("/signedPreKey/publicKey").asText());
        assertFalse(device.has("oneTimePreKeys"), "one-time pre-keys are claimed, never listed");
        assertEquals(404, client.get("/v1/users/" + ann.userId() + "/keys", stranger.accessToken()).status());
        assertEquals(404, client.get("/v1/users/no-such-user/keys", ben.accessToken()).status());

        // a top-up of one-time pre-keys changes nothing others fetch: nobody is told
        assertEquals(5, upload(ann, DeviceKeyPairs.bundle(identity, signed, "spk-1", 3, 2)).body()
                .get("oneTimePreKeyCount").asInt());
        List<String> toldAnn = keysNotices(ann.userId());
        List<String> toldBen = keysNotices(ben.userId());
        assertEquals(List.of(ann.userId()), toldAnn, "ann's own devices");
        assertEquals(List.of(ann.userId()), toldBen, "her co-member");
        assertTrue(keysNotices(stranger.userId()).isEmpty());
        assertEquals(1, outboxRows(ben.userId()), "the outbox holds the same notice for the relay");
    }

    @Test
    void malformedKeysABadSignatureAndAnotherIdentityAreRefusedAndNothingIsStored() {
        Login cat = TestUsers.registerAndLogin(client, "cat");
        KeyPair identity = DeviceKeyPairs.generate();
        KeyPair signed = DeviceKeyPairs.generate();
        String good = DeviceKeyPairs.bundle(identity, signed, "spk-1", 0, 1);

        byte[] offCurve = DeviceKeyPairs.raw(identity);
        offCurve[64] ^= 1;
        assertRefused(upload(cat, good.replace(DeviceKeyPairs.rawBase64(identity), DeviceKeyPairs.base64(offCurve))),
                "malformed_key");
        assertRefused(upload(cat, good.replace(DeviceKeyPairs.rawBase64(identity), "not-base64!")), "malformed_key");
        String foreignSignature = DeviceKeyPairs.base64(DeviceKeyPairs.sign(DeviceKeyPairs.generate(),
                DeviceKeyPairs.raw(signed)));
        String badSignature = good.replaceFirst("\"signature\":\"[^\"]+\"", "\"signature\":\"" + foreignSignature + "\"");
        assertRefused(upload(cat, badSignature), "bad_signature");
        assertRefused(upload(cat, "{\"identityKey\":\"" + DeviceKeyPairs.rawBase64(identity) + "\"}"), null);
        assertEquals(0, client.get("/v1/users/" + cat.userId() + "/keys", cat.accessToken()).body().get("devices")
                .size(), "nothing stored");

        assertEquals(200, upload(cat, good).status());
        assertRefused(upload(cat, DeviceKeyPairs.bundle(DeviceKeyPairs.generate(), signed, "spk-2", 5, 1)),
                "identity_key_changed");
        assertEquals(1, client.get("/v1/keys/count", cat.accessToken()).body().get("oneTimePreKeyCount").asInt());
    }

    @Test
    void eachOneTimePreKeyIsHandedOutOnceEvenToConcurrentClaimsThenOnlyTheSignedPreKey() throws Exception {
        Login dan = TestUsers.registerAndLogin(client, "dan");
        Login eve = TestUsers.registerAndLogin(client, "eve");
        TestConversations.direct(client, eve, dan);
        assertEquals(200, upload(dan, DeviceKeyPairs.bundle(DeviceKeyPairs.generate(), DeviceKeyPairs.generate(),
                "spk-1", 0, 10)).status());
        String claim = "{\"devices\":[{\"userId\":\"" + dan.userId() + "\",\"deviceId\":\"" + dan.deviceId() + "\"}]}";

        List<Callable<Answer>> claims = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            claims.add(() -> client.post("/v1/keys/claim", claim, eve.accessToken()));
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> handedOut = new ArrayList<>();
        int withoutOneTime = 0;
        try {
            for (Future<Answer> future : pool.invokeAll(claims)) {
                Answer answer = future.get();
                assertEquals(200, answer.status(), String.valueOf(answer.body()));
                JsonNode key = answer.body().get("keys").get(0);
                assertEquals(dan.deviceId(), key.get("deviceId").asText());
                assertNotNull(key.get("signedPreKey"));
                if (key.hasNonNull("oneTimePreKey")) {
                    handedOut.add(key.at("/oneTimePreKey/keyId").asText());
                } else {
                    withoutOneTime++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Set<String> distinct = new HashSet<>(handedOut);
        assertEquals(handedOut.size(), distinct.size(), "no key twice: " + handedOut);
        assertEquals(10, distinct.size());
        assertEquals(6, withoutOneTime);
        assertEquals(0, client.get("/v1/keys/count", dan.accessToken()).body().get("oneTimePreKeyCount").asInt());
    }

    @Test
    void claimsAndListsNeedAContactOrACoMemberAndNoBlock() {
        Login fay = TestUsers.registerAndLogin(client, "fay");
        Login gus = TestUsers.registerAndLogin(client, "gus");
        assertEquals(200, upload(fay, DeviceKeyPairs.bundle(DeviceKeyPairs.generate(), DeviceKeyPairs.generate(),
                "spk-1", 0, 2)).status());
        String claim = "{\"devices\":[{\"userId\":\"" + fay.userId() + "\",\"deviceId\":\"" + fay.deviceId() + "\"}]}";
        assertEquals(404, client.post("/v1/keys/claim", claim, gus.accessToken()).status(), "a stranger");

        rows.update("INSERT INTO contacts (user_id, contact_user_id, since) VALUES (?, ?, now()), (?, ?, now())",
                fay.userId(), gus.userId(), gus.userId(), fay.userId());
        assertEquals(200, client.post("/v1/keys/claim", claim, gus.accessToken()).status(), "a contact");
        assertEquals(200, client.get("/v1/users/" + fay.userId() + "/keys", gus.accessToken()).status());

        rows.update("INSERT INTO blocks (blocker_id, blocked_id, since) VALUES (?, ?, now())", fay.userId(), gus.userId());
        assertEquals(404, client.post("/v1/keys/claim", claim, gus.accessToken()).status(), "blocked");
        assertEquals(404, client.get("/v1/users/" + fay.userId() + "/keys", gus.accessToken()).status());
        assertEquals(400, client.post("/v1/keys/claim", "{\"devices\":[]}", gus.accessToken()).status());
    }

    @Test
    void loggingOutDeletesTheDevicesKeysAndTellsWhoMayKnowThem() {
        Login hal = TestUsers.registerAndLogin(client, "hal");
        Login ivy = TestUsers.registerAndLogin(client, "ivy");
        TestConversations.direct(client, hal, ivy);
        assertEquals(200, upload(hal, DeviceKeyPairs.bundle(DeviceKeyPairs.generate(), DeviceKeyPairs.generate(),
                "spk-1", 0, 4)).status());
        assertEquals(1, keysNotices(ivy.userId()).size());

        assertEquals(204, client.post("/v1/auth/logout", "{}", hal.accessToken()).status());

        assertEquals(0, client.get("/v1/users/" + hal.userId() + "/keys", ivy.accessToken()).body().get("devices")
                .size());
        assertEquals(0, count("SELECT count(*) FROM one_time_prekeys WHERE user_id = ?", hal.userId()));
        assertEquals(2, keysNotices(ivy.userId()).size(), "told again: the device is gone");
    }

    @Test
    void aSignedPreKeyIsReplacedAtMostOnceAnHourSoOthersAreNotFloodedWithNotices() {
        Login kim = TestUsers.registerAndLogin(client, "kim");
        Login lou = TestUsers.registerAndLogin(client, "lou");
        TestConversations.direct(client, kim, lou);
        KeyPair identity = DeviceKeyPairs.generate();
        KeyPair signed = DeviceKeyPairs.generate();
        assertEquals(200, upload(kim, DeviceKeyPairs.bundle(identity, signed, "spk-1", 0, 1)).status());
        assertEquals(1, keysNotices(lou.userId()).size());

        Answer tooSoon = upload(kim, DeviceKeyPairs.bundle(identity, DeviceKeyPairs.generate(), "spk-2", 1, 1));
        assertEquals(429, tooSoon.status(), String.valueOf(tooSoon.body()));
        assertEquals("signed_prekey_too_recent", tooSoon.text("reason"));
        assertEquals(1, client.get("/v1/keys/count", kim.accessToken()).body().get("oneTimePreKeyCount").asInt(),
                "refused whole: the one-time pre-key of that upload was not added either");
        assertEquals("spk-1", client.get("/v1/users/" + kim.userId() + "/keys", lou.accessToken()).body()
                .at("/devices/0/signedPreKey/keyId").asText());
        // the same signed pre-key again (a top-up) is not a replacement: accepted, nobody told
        assertEquals(200, upload(kim, DeviceKeyPairs.bundle(identity, signed, "spk-1", 2, 1)).status());
        assertEquals(1, keysNotices(lou.userId()).size());
    }

    @Test
    void uploadsAreRateLimitedPerUser() {
        Login jay = TestUsers.registerAndLogin(client, "jay");
        KeyPair identity = DeviceKeyPairs.generate();
        KeyPair signed = DeviceKeyPairs.generate();
        Answer last = null;
        for (int i = 0; i <= KeyLimits.DEFAULT.uploads().burst() && (last == null || last.status() == 200); i++) {
            last = upload(jay, DeviceKeyPairs.bundle(identity, signed, "spk-1", i, 1));
        }
        assertEquals(429, last.status());
        assertEquals("rate_limited", last.text("code"));
    }

    private static void assertRefused(Answer answer, String reason) {
        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        assertEquals("bad_request", answer.text("code"));
        if (reason != null) {
            assertEquals(reason, answer.text("reason"));
        }
    }

    /** The userIds named by the keys notices published to {@code recipient} so far. */
    private static List<String> keysNotices(String recipient) {
        List<String> named = new ArrayList<>();
        for (UserCommand command : fixture.published(fixture.userInboundTopic, recipient)) {
            if (command.getCommand() instanceof UserEvent event && event.getPayload() instanceof KeysChanged keys) {
                named.add(keys.getUserId());
            }
        }
        return named;
    }

    private static int outboxRows(String recipient) {
        return count("SELECT count(*) FROM outbox WHERE event_type = 'UserCommand' AND aggregate_id = ?", recipient);
    }

    private static int count(String sql, String parameter) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                statement.setString(1, parameter);
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getInt(1);
                }
            }
        });
    }
}
