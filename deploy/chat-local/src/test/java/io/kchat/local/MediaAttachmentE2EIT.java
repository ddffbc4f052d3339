package io.kchat.local;

import static io.kchat.local.ChatClients.WAIT;
import static io.kchat.local.ChatClients.message;
import static io.kchat.local.ChatClients.token;
import static io.kchat.local.ChatClients.userId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A message with attachments through the whole stack, as ./chat-local wires it: sent over the WebSocket, received live
 * by the other member, archived and served by history, one message and the conversation list; deleted with its files.
 * The first test writes media rows with SQL as the upload path leaves them (the bytes are not needed on the message
 * path); the second uploads real bytes to the stack's S3 store and downloads them.
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

    /**
     * The walk-through with real bytes: a photo and a voice note uploaded and sent while the other member is
     * offline; they connect later, get the message from their queue and download both (whole, a range, a
     * thumbnail); a stranger holding the ids gets 404.
     */
    @Test
    void anOfflineMemberLaterDownloadsWhatWasSentAndAStrangerCannot() throws Exception {
        JsonNode ann = http.newUser("oann");
        JsonNode ben = http.newUser("oben");
        JsonNode eve = http.newUser("oeve");
        byte[] photo = png(640, 480);
        byte[] voice = Files.readAllBytes(VOICE_NOTE);
        JsonNode uploadedPhoto = uploadBytes(ann, photo, "image/png", "beach.png");
        JsonNode uploadedVoice = uploadBytes(ann, voice, "audio/ogg", "voice.ogg");
        assertEquals(640, uploadedPhoto.path("width").asInt());
        assertEquals("audio/ogg", uploadedVoice.path("contentType").asText());
        String photoId = uploadedPhoto.path("mediaId").asText();
        String voiceId = uploadedVoice.path("mediaId").asText();
        String conversationId = http.post("/v1/conversations", token(ann),
                "{\"type\":\"direct\",\"userId\":\"" + userId(ben) + "\"}").body().path("conversationId").asText();

        try (WsClient annWs = clients.online(ann)) {
            annWs.send("{\"type\":\"send\",\"ref\":\"r1\",\"id\":\"offline-1\",\"conversationId\":\""
                    + conversationId + "\",\"body\":\"from the beach\",\"attachments\":[{\"mediaId\":\"" + photoId
                    + "\"},{\"mediaId\":\"" + voiceId + "\",\"durationMs\":1500}]}");
            annWs.await(f -> f.path("type").asText().equals("ok") && f.path("ref").asText().equals("r1"), WAIT);
        }
        assertEquals(404, download(eve, "/v1/media/" + photoId, null).statusCode(), "not yet anyone's but ann's");

        try (WsClient benWs = clients.online(ben)) {
            // from ben's queue, before `synced` (or just after, when the message was still on its way)
            JsonNode queued = benWs.awaitSeenOrNext(ChatClients.messageWithId("offline-1"), WAIT);
            JsonNode attachments = queued.path("attachments");
            assertEquals(photoId, attachments.get(0).path("mediaId").asText());
            assertEquals(1500, attachments.get(1).path("durationMs").asLong());
        }
        await().atMost(WAIT).until(() -> download(ben, "/v1/media/" + photoId, null).statusCode() == 200);
        assertArrayEquals(photo, download(ben, "/v1/media/" + photoId, null).body());
        HttpResponse<byte[]> wholeVoice = download(ben, "/v1/media/" + voiceId, null);
        assertArrayEquals(voice, wholeVoice.body());
        assertEquals("audio/ogg", wholeVoice.headers().firstValue("Content-Type").orElseThrow());
        HttpResponse<byte[]> head = download(ben, "/v1/media/" + voiceId, "bytes=0-99");
        assertEquals(206, head.statusCode());
        assertArrayEquals(Arrays.copyOf(voice, 100), head.body());
        BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(
                download(ben, "/v1/media/" + photoId + "/thumbnail?size=small", null).body()));
        assertEquals(96, thumbnail.getWidth());
        assertEquals(72, thumbnail.getHeight());

        for (String path : new String[] {"/v1/media/" + photoId, "/v1/media/" + voiceId,
                "/v1/media/" + photoId + "/thumbnail"}) {
            assertEquals(404, download(eve, path, null).statusCode(), "a stranger holding the id: " + path);
        }
    }

    private static final Path VOICE_NOTE = Path.of("../../ingest-gateway/src/test/resources/media/voice.ogg");
    private static final HttpClient BYTES = HttpClient.newHttpClient();

    private static JsonNode uploadBytes(JsonNode login, byte[] bytes, String type, String name) throws Exception {
        HttpResponse<String> created = BYTES.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + stack.port() + "/v1/media?name=" + name))
                .header("Authorization", "Bearer " + token(login)).header("Content-Type", type)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body());
    }

    private static HttpResponse<byte[]> download(JsonNode login, String path, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + stack.port() + path))
                .header("Authorization", "Bearer " + token(login));
        if (range != null) {
            request.header("Range", range);
        }
        return BYTES.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static byte[] png(int width, int height) throws Exception {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, x % height, 0x20a060 + x);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "png", out);
        return out.toByteArray();
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
