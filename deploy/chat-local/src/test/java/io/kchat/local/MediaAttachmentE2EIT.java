package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message with attachments through the whole stack, as ./chat-local wires it: sent over the WebSocket, received live
 * by the other member, archived and served by history, one message and the conversation list; deleted with its files.
 * The uploads are media rows written with SQL as the upload path leaves them (the bytes are not needed on this path).
 */
class MediaAttachmentE2EIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path stateDir;
    private static LocalStack stack;
    private static Http http;
    private static ChatClients clients;

    @BeforeAll
    static void start() throws Exception {
        stack = new LocalStack("media-e2e", stateDir);
        http = new Http(stack.port());
        clients = new ChatClients(stack::port);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
    }

    @Test
    void aPhotoAndAVoiceNoteReachTheOtherMemberLiveAndHistoryAndGoWithADelete() throws Exception {
        JsonNode ann = http.newUser("mann");
        JsonNode ben = http.newUser("mben");
        String photo = upload(userId(ann), "image/jpeg", 34_567, 800, 600);
        String voice = upload(userId(ann), "audio/ogg", 12_345, null, null);
        Http.Response created = http.post("/v1/conversations", token(ann),
                "{\"type\":\"direct\",\"userId\":\"" + userId(ben) + "\"}");
        assertEquals(201, created.status(), created.toString());
        String conversationId = created.body().path("conversationId").asText();

        try (WsClient annWs = clients.online(ann); WsClient benWs = clients.online(ben)) {
            annWs.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"files-1\",\"conversationId\":\"" + conversationId
                    + "\",\"attachments\":[{\"mediaId\":\"" + photo + "\",\"name\":\"C:\\\\photos\\\\beach.jpg\"},"
                    + "{\"mediaId\":\"" + voice + "\",\"durationMs\":4200}]}");
            JsonNode live = message(benWs, "files-1");
            JsonNode expected = JSON.readTree("[{\"mediaId\":\"" + photo + "\",\"contentType\":\"image/jpeg\","
                    + "\"size\":34567,\"name\":\"beach.jpg\",\"width\":800,\"height\":600},{\"mediaId\":\"" + voice
                    + "\",\"contentType\":\"audio/ogg\",\"size\":12345,\"durationMs\":4200}]");
            assertEquals(expected, live.path("attachments"), live.toString());
            assertFalse(live.has("body") && !live.path("body").asText().isEmpty(), "files only: no text");
            long seq = live.path("seq").asLong();

            annWs.send("{\"type\":\"send\",\"id\":\"plain-1\",\"conversationId\":\"" + conversationId
                    + "\",\"body\":\"no files here\"}");
            assertFalse(message(benWs, "plain-1").has("attachments"), "absent when there are none");

            await().atMost(WAIT).until(() -> history(conversationId, ben).size() == 2);
            JsonNode archived = history(conversationId, ben).get(0);
            assertEquals(expected, archived.path("attachments"), archived.toString());
            assertFalse(history(conversationId, ben).get(1).has("attachments"));
            assertEquals(expected, http.get("/v1/conversations/" + conversationId + "/messages/" + seq, token(ben))
                    .body().path("attachments"));

            annWs.send("{\"type\":\"send\",\"id\":\"files-2\",\"conversationId\":\"" + conversationId
                    + "\",\"body\":\"again\",\"attachments\":[{\"mediaId\":\"" + photo + "\"}]}");
            long last = message(benWs, "files-2").path("seq").asLong();
            await().atMost(WAIT).until(() -> lastMessage(conversationId, ben).path("seq").asLong() == last);
            assertEquals(photo, lastMessage(conversationId, ben).path("attachments").get(0).path("mediaId").asText());

            annWs.send("{\"type\":\"delete\",\"id\":\"del-1\",\"conversationId\":\"" + conversationId + "\",\"seq\":"
                    + seq + "}");
            await().atMost(WAIT).until(() -> history(conversationId, ben).get(0).path("deleted").asBoolean());
            assertFalse(history(conversationId, ben).get(0).has("attachments"), "a delete takes the files too");

            String bens = upload(userId(ben), "image/png", 10, 1, 1);
            annWs.send("{\"type\":\"send\",\"ref\":\"r9\",\"id\":\"theirs\",\"conversationId\":\"" + conversationId
                    + "\",\"body\":\"x\",\"attachments\":[{\"mediaId\":\"" + bens + "\"}]}");
            JsonNode refused = annWs.await(f -> f.path("type").asText().equals("error")
                    && f.path("id").asText().equals("theirs"), WAIT);
            assertEquals("bad_request", refused.path("code").asText());
            assertTrue(benWs.seen().stream().noneMatch(f -> f.path("id").asText().equals("theirs")));
        }
    }

    private static JsonNode history(String conversationId, JsonNode login) throws Exception {
        return http.get("/v1/conversations/" + conversationId + "/messages", token(login)).body().path("messages");
    }

    private static JsonNode lastMessage(String conversationId, JsonNode login) throws Exception {
        for (JsonNode conversation : http.get("/v1/conversations", token(login)).body().path("conversations")) {
            if (conversation.path("conversationId").asText().equals(conversationId)) {
                return conversation.path("lastMessage");
            }
        }
        return JSON.missingNode();
    }

    /** A complete upload of {@code ownerId}, as the media row of the upload path leaves it. */
    private static String upload(String ownerId, String contentType, long size, Integer width, Integer height)
            throws SQLException {
        String mediaId = "media-" + UUID.randomUUID();
        try (Connection connection = DriverManager.getConnection(stack.databaseUrl(), stack.databaseUser(),
                stack.databasePassword());
             PreparedStatement insert = connection.prepareStatement("""
                     INSERT INTO media (media_id, owner_id, state, content_type, size, sha256, width, height,
                                        completed_at)
                     VALUES (?, ?, 'complete', ?, ?, repeat('0', 64), ?, ?, now())""")) {
            insert.setString(1, mediaId);
            insert.setString(2, ownerId);
            insert.setString(3, contentType);
            insert.setLong(4, size);
            insert.setObject(5, width);
            insert.setObject(6, height);
            insert.executeUpdate();
        }
        return mediaId;
    }
}
