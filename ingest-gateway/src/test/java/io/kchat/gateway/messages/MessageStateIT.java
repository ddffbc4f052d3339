package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.json.Json;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Replies, edits, deletes and reactions (D13) as the read side serves them, over archive rows written as the
 * delivery-service writes them: history, one message and the conversation list's last message show each message's
 * current state, with {@code me} as the caller.
 */
class MessageStateIT {

    private static final ObjectMapper JSON = Json.mapper();
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final String THUMBS_UP = "\uD83D\uDC4D";
    private static final String HEART = "\u2764";
    private static final String JOY = "\uD83D\uDE02";

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login ann;
    private static Login ben;
    private static Login cat;
    private static Login dan;
    private static String group;
    private static String secret;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("MessageStateIT");
        client = fixture.client;
        ann = TestUsers.registerAndLogin(client, "ann");
        ben = TestUsers.registerAndLogin(client, "ben");
        cat = TestUsers.registerAndLogin(client, "cat");
        dan = TestUsers.registerAndLogin(client, "dan");
        group = TestConversations.group(client, ann, "state", ben, cat);
        secret = TestConversations.group(client, ann, "secret", ben);

        ReadModelRows rows = new ReadModelRows(fixture.database);
        rows.message(group, 1, ann.userId(), "hello", START.plusSeconds(1));
        rows.message(group, 2, ben.userId(), "edited body", START.plusSeconds(2));
        rows.update("UPDATE messages SET reply_to = 1, edited_at = ? WHERE conversation_id = ? AND seq = 2",
                START.plusSeconds(100), group);
        for (Login user : List.of(ann, ben, cat)) {
            react(rows, group, 2, user, THUMBS_UP);
        }
        react(rows, group, 2, ann, HEART);
        react(rows, group, 2, cat, JOY);
        // deleted as the archive leaves it: an empty body, no reactions
        rows.message(group, 3, cat.userId(), "", START.plusSeconds(3));
        rows.update("UPDATE messages SET reply_to = 2, deleted = true WHERE conversation_id = ? AND seq = 3", group);
        rows.message(group, 4, ann.userId(), "the last, edited", START.plusSeconds(4));
        rows.update("UPDATE messages SET edited_at = ? WHERE conversation_id = ? AND seq = 4", START.plusSeconds(200),
                group);
        react(rows, group, 4, ben, THUMBS_UP);
        rows.messageAboveWatermark(group, 5, ann.userId(), START.plusSeconds(5));

        rows.update("UPDATE conversations SET encrypted = true WHERE conversation_id = ?", secret);
        // sent from ben's phone, edited from his laptop: ann's envelope is the laptop's now
        encrypted(rows, 1, ben.userId(), "ben-phone");
        rows.update("UPDATE messages SET edited_at = ?, edit_device_id = 'ben-laptop', algorithm = 'v2' "
                + "WHERE conversation_id = ? AND seq = 1", START.plusSeconds(300), secret);
        rows.update("INSERT INTO message_envelopes (conversation_id, seq, user_id, device_id, ciphertext) "
                + "VALUES (?, 1, ?, ?, ?)", secret, ann.userId(), ann.deviceId(), new byte[] {1, 2});
        encrypted(rows, 2, ann.userId(), "ann-phone");
        rows.update("UPDATE messages SET deleted = true WHERE conversation_id = ? AND seq = 2", secret);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void historyShowsEachMessagesCurrentStateWithTheCallersOwnReactions() {
        assertEquals(json("""
                [{"conversationId":"%1$s","seq":1,"messageId":"m-%1$s-1","id":"c-1","senderId":"%2$s","body":"hello",
                  "ts":"2026-01-01T00:00:01Z"},
                 {"conversationId":"%1$s","seq":2,"messageId":"m-%1$s-2","id":"c-2","senderId":"%3$s",
                  "body":"edited body","ts":"2026-01-01T00:00:02Z","replyTo":1,"editedAt":"2026-01-01T00:01:40Z",
                  "reactions":[{"key":"%5$s","count":3,"me":true},{"key":"%6$s","count":1,"me":true},
                               {"key":"%7$s","count":1,"me":false}]},
                 {"conversationId":"%1$s","seq":3,"messageId":"m-%1$s-3","id":"c-3","senderId":"%4$s",
                  "ts":"2026-01-01T00:00:03Z","replyTo":2,"deleted":true},
                 {"conversationId":"%1$s","seq":4,"messageId":"m-%1$s-4","id":"c-4","senderId":"%2$s",
                  "body":"the last, edited","ts":"2026-01-01T00:00:04Z","editedAt":"2026-01-01T00:03:20Z",
                  "reactions":[{"key":"%5$s","count":1,"me":false}]}]
                """.formatted(group, ann.userId(), ben.userId(), cat.userId(), THUMBS_UP, HEART, JOY)),
                history(ann, group));

        JsonNode asCat = history(cat, group);
        assertEquals(reactions(3, true, 1, false, 1, true), asCat.get(1).get("reactions"));
        assertEquals(reactions(1, false), asCat.get(3).get("reactions"));
        assertEquals(reactions(1, true), history(ben, group).get(3).get("reactions"));
    }

    @Test
    void aMessageWithoutUpdatesKeepsItsShape() {
        assertEquals(new TreeSet<>(List.of("conversationId", "seq", "messageId", "id", "senderId", "body", "ts")),
                fields(history(ann, group).get(0)));
    }

    @Test
    void oneMessageIsTheSameAsInHistory() {
        JsonNode history = history(cat, group);
        for (int seq = 1; seq <= 4; seq++) {
            Answer one = client.get(path(group, String.valueOf(seq)), cat.accessToken());
            assertEquals(200, one.status(), String.valueOf(one.body()));
            assertEquals(history.get(seq - 1), one.body());
        }
        assertEquals(reactions(3, true, 1, true, 1, false),
                client.get(path(group, "2"), ann.accessToken()).body().get("reactions"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"5", "6", "0", "-1", "abc", "99999999999999999999"})
    void aMessageNotArchivedIsNotFound(String seq) {
        Answer answer = client.get(path(group, seq), ann.accessToken());
        assertEquals(404, answer.status(), String.valueOf(answer.body()));
    }

    @Test
    void aNonMemberFindsNoMessage() {
        assertEquals(404, client.get(path(group, "1"), dan.accessToken()).status());
        assertEquals(404, client.get(path("no-such-conversation", "1"), dan.accessToken()).status());
        assertEquals(401, client.get(path(group, "1"), null).status());
    }

    @Test
    void theLastMessageShowsItsCurrentStateToEachMember() {
        JsonNode asAnn = lastMessageInList(ann, group);
        assertEquals(history(ann, group).get(3), asAnn);
        assertEquals(reactions(1, false), asAnn.get("reactions"));
        assertEquals(reactions(1, true), lastMessageInList(ben, group).get("reactions"));
        Answer one = client.get("/v1/conversations/" + group, ben.accessToken());
        assertEquals(200, one.status(), String.valueOf(one.body()));
        assertEquals(reactions(1, true), one.body().get("lastMessage").get("reactions"));
        assertEquals("2026-01-01T00:03:20Z", one.body().get("lastMessage").get("editedAt").asText());
    }

    @Test
    void anEditedEncryptedMessageCarriesTheEditingDevicesEnvelopeAndADeletedOneNothing() {
        JsonNode messages = history(ann, secret);
        assertEquals(json("""
                {"senderDeviceId":"ben-laptop","algorithm":"v2","ciphertext":"AQI"}"""),
                messages.get(0).get("envelope"));
        assertEquals("2026-01-01T00:05:00Z", messages.get(0).get("editedAt").asText());
        Set<String> deleted = new TreeSet<>(List.of("conversationId", "seq", "messageId", "id", "senderId", "ts",
                "encrypted", "deleted"));
        assertEquals(deleted, fields(messages.get(1)));
        assertEquals(deleted, fields(lastMessageInList(ann, secret)));
    }

    private static void react(ReadModelRows rows, String conversationId, long seq, Login user, String key) {
        rows.update("INSERT INTO message_reactions (conversation_id, seq, user_id, key) VALUES (?, ?, ?, ?)",
                conversationId, seq, user.userId(), key);
    }

    private static void encrypted(ReadModelRows rows, long seq, String senderId, String senderDevice) {
        rows.update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts,
                                      encrypted, algorithm)
                VALUES (?, ?, ?, ?, ?, ?, '', ?, true, 'v1')""", secret, seq, "m-" + seq, "c-" + seq, senderId,
                senderDevice, START.plusSeconds(seq));
        rows.update("UPDATE conversations SET last_seq = ?, last_activity_at = ? WHERE conversation_id = ?",
                seq, START.plusSeconds(seq), secret);
    }

    /** The reactions of seq 2 (three keys) or 4 (one) as one member sees them: count and me, key by key. */
    private static JsonNode reactions(Object... countsAndMe) {
        List<String> keys = countsAndMe.length == 2 ? List.of(THUMBS_UP) : List.of(THUMBS_UP, HEART, JOY);
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < keys.size(); i++) {
            array.append(i == 0 ? "" : ",").append("{\"key\":\"").append(keys.get(i)).append("\",\"count\":")
                    .append(countsAndMe[2 * i]).append(",\"me\":").append(countsAndMe[2 * i + 1]).append('}');
        }
        return json(array.append(']').toString());
    }

    private static String path(String conversationId, String seq) {
        return "/v1/conversations/" + conversationId + "/messages/" + seq;
    }

    private static JsonNode history(Login user, String conversationId) {
        Answer answer = client.get("/v1/conversations/" + conversationId + "/messages", user.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return answer.body().get("messages");
    }

    private static JsonNode lastMessageInList(Login user, String conversationId) {
        Answer answer = client.get("/v1/conversations", user.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        for (JsonNode conversation : answer.body().get("conversations")) {
            if (conversation.get("conversationId").asText().equals(conversationId)) {
                return conversation.get("lastMessage");
            }
        }
        throw new AssertionError("not in the list: " + answer.body());
    }

    private static Set<String> fields(JsonNode message) {
        Set<String> names = new TreeSet<>();
        message.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
