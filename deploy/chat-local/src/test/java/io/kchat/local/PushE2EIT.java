package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.infra.WebPushReceiver;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Push through the whole stack as ./chat-local wires it (issue 22): a device subscribed through the REST API, away
 * (no socket), gets one Web Push per burst of messages in a conversation after the grace period, encrypted and signed
 * as a browser's push service requires (the local receiver decrypts it per RFC 8291 and checks the VAPID header),
 * without content unless it asked for previews; a muted conversation gets none; a device with its socket open gets
 * none; logout removes the subscription. The only settings changed are those that let the sender call a push service
 * on loopback over http.
 */
class PushE2EIT {

    private static final Duration GRACE = Duration.ofSeconds(3); // PUSH_GRACE's default

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("push-e2e", stateDir, Map.of(
                "PUSH_ALLOW_HTTP", "true",
                "PUSH_ALLOW_PRIVATE_ENDPOINTS", "true"));
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void anAwayDeviceGetsOnePushPerBurstWithoutContentAndNoneWhenMutedOrConnected() throws Exception {
        JsonNode ann = http.newUser("pushann");
        JsonNode ben = http.newUser("pushben");
        Http.Response vapid = http.get("/v1/push/vapid", token(ben));
        assertEquals(200, vapid.status(), vapid.toString());
        byte[] vapidKey = Base64.getUrlDecoder().decode(vapid.body().path("publicKey").asText());
        assertEquals(65, vapidKey.length);

        try (WebPushReceiver pushService = WebPushReceiver.start(vapidKey)) {
            WebPushReceiver.Handed phone = pushService.subscribe("ben-phone");
            assertEquals(204, subscribe(ben, phone, false).status());
            String conversationId = http.post("/v1/conversations", token(ann),
                    "{\"type\":\"direct\",\"userId\":\"" + userId(ben) + "\"}").body().path("conversationId").asText();

            try (WsClient annWs = clients.online(ann)) {
                // a burst of three: one push, after the grace, naming the newest, with no content
                long firstSent = System.currentTimeMillis();
                for (int i = 1; i <= 3; i++) {
                    sendOk(annWs, conversationId, "burst-" + i, "secret text " + i);
                }
                await().atMost(WAIT).until(() -> pushService.delivered("ben-phone").size() == 1);
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                        .until(() -> pushService.delivered("ben-phone").size() == 1);
                WebPushReceiver.Received push = pushService.delivered("ben-phone").getFirst();
                assertTrue(push.at().toEpochMilli() - firstSent >= GRACE.toMillis(),
                        "not before the grace: " + (push.at().toEpochMilli() - firstSent) + " ms");
                JsonNode payload = push.message();
                assertEquals("message", payload.path("type").asText());
                assertEquals(conversationId, payload.path("conversationId").asText());
                assertEquals(3, payload.path("seq").asLong(), "the newest of the burst");
                assertEquals(userId(ann), payload.path("senderId").asText());
                assertEquals(3, payload.path("unread").asInt());
                assertFalse(payload.has("body") || payload.has("senderName"), "content-free by default: " + payload);
                assertEquals(List.of(), pushService.problems());

                // muted: the push is decided and skipped, never sent
                Http.Response muted = http.put("/v1/conversations/" + conversationId + "/settings", token(ben),
                        "{\"muted\":true}");
                assertEquals(200, muted.status(), muted.toString());
                sendOk(annWs, conversationId, "while-muted", "not pushed");
                await().atMost(WAIT).until(() -> deliveryState(userId(ben), conversationId, 4)
                        .equals("skipped:muted"));
                assertEquals(1, pushService.all().size(), "nothing reached the push service while muted");

                // unmuted, with previews asked for: the sender's name and the text come along
                http.put("/v1/conversations/" + conversationId + "/settings", token(ben), "{\"muted\":false}");
                assertEquals(204, subscribe(ben, phone, true).status());
                sendOk(annWs, conversationId, "preview", "see you at noon");
                await().atMost(WAIT).until(() -> pushService.delivered("ben-phone").size() == 2);
                JsonNode preview = pushService.delivered("ben-phone").get(1).message();
                assertEquals(5, preview.path("seq").asLong());
                assertEquals("see you at noon", preview.path("body").asText());
                assertEquals("pushann", preview.path("senderName").asText(), "the display name a sign-up gets");

                // connected: nothing to push, the device has it
                try (WsClient benWs = clients.online(ben)) {
                    sendOk(annWs, conversationId, "live", "you are here");
                    ChatClients.message(benWs, "live");
                    await().during(GRACE.plusSeconds(2)).atMost(GRACE.plusSeconds(5))
                            .until(() -> pushService.all().size() == 2);
                }
            }

            // logout: the subscription goes with the device
            assertEquals(1, subscriptions(userId(ben)));
            assertEquals(204, http.post("/v1/auth/logout", token(ben), "{}").status());
            assertEquals(0, subscriptions(userId(ben)));
        }
    }

    private static Http.Response subscribe(JsonNode login, WebPushReceiver.Handed handed, boolean previews)
            throws Exception {
        return http.put("/v1/devices/me/push", token(login), handed.subscriptionJson(previews));
    }

    private static void sendOk(WsClient ws, String conversationId, String id, String body)
            throws InterruptedException {
        ws.send("{\"type\":\"send\",\"ref\":\"" + id + "\",\"id\":\"" + id + "\",\"conversationId\":\""
                + conversationId + "\",\"body\":\"" + body + "\"}");
        ws.await(f -> f.path("type").asText().equals("ok") && f.path("ref").asText().equals(id), WAIT);
    }

    /** The push sender's record of the push of {@code seq} to the user's device: "state:reason", or "" if none. */
    private static String deliveryState(String userId, String conversationId, long seq) throws SQLException {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT state, reason FROM push_deliveries"
                     + " WHERE user_id = ? AND conversation_id = ? AND seq = ?")) {
            query.setString(1, userId);
            query.setString(2, conversationId);
            query.setLong(3, seq);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) + ":" + row.getString(2) : "";
            }
        }
    }

    private static int subscriptions(String userId) throws SQLException {
        try (Connection db = database();
             PreparedStatement query = db.prepareStatement("SELECT count(*) FROM push_subscriptions WHERE user_id = ?")) {
            query.setString(1, userId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(), stack.databasePassword());
    }
}
