package io.kchat.gateway.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The janitor over real rows and objects: what it deletes a day later, and everything it must keep. */
class MediaJanitorIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    private static RestApiFixture fixture;
    private static ReadModelRows rows;
    private static Login ann;
    private static Login ben;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.startWithMedia("MediaJanitorIT", media -> media);
        rows = new ReadModelRows(fixture.database);
        ann = TestUsers.registerAndLogin(fixture.client, "ann");
        ben = TestUsers.registerAndLogin(fixture.client, "ben");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void unusedUploadsGoAfterADayWithTheirThumbnailsAndUsedOnesStay() throws Exception {
        String unused = upload(MediaIT.png(400, 300));
        get("/v1/media/" + unused + "/thumbnail?size=small"); // a kept thumbnail must go with it
        String avatar = upload(MediaIT.png(50, 50));
        rows.update("UPDATE users SET avatar_media_id = ? WHERE user_id = ?", avatar, ann.userId());
        String groupAvatar = upload(MediaIT.png(50, 50));
        String conversation = TestConversations.group(fixture.client, ann, "janitor", ben);
        rows.update("UPDATE conversations SET avatar_media_id = ? WHERE conversation_id = ?", groupAvatar,
                conversation);
        String attached = upload(MediaIT.pdf(5000));
        rows.message(conversation, 1, ann.userId(), "", Instant.now());
        rows.update("""
                INSERT INTO message_attachments (conversation_id, seq, position, media_id, content_type, size)
                VALUES (?, 1, 0, ?, 'application/pdf', 5000)""", conversation, attached);
        String claimedLate = upload(MediaIT.pdf(5000));
        rows.update("UPDATE media SET claimed_at = ? WHERE media_id = ?",
                Timestamp.from(Instant.now().plus(Duration.ofHours(20))), claimedLate);
        String abandoned = MediaKeys.newId(); // a gateway died mid-upload: a row, perhaps no object
        rows.update("""
                INSERT INTO media (media_id, owner_id, state, content_type, created_at)
                VALUES (?, ?, 'uploading', 'image/png', ?)""", abandoned, ann.userId(),
                Timestamp.from(Instant.now().minus(Duration.ofHours(2))));

        assertEquals(1, janitorAt(Duration.ofHours(1)).sweep(), "after an hour only the abandoned upload goes");
        assertFalse(exists(abandoned));
        assertTrue(exists(unused));

        assertEquals(1, janitorAt(Duration.ofHours(25)).sweep(), "a day on, the unused upload goes");
        assertFalse(exists(unused));
        assertTrue(fixture.media.objects().get(MediaKeys.original(unused), Optional.empty()).isEmpty());
        assertTrue(fixture.media.objects().get(MediaKeys.thumbnail(unused, "small"), Optional.empty()).isEmpty());
        for (String kept : new String[] {avatar, groupAvatar, attached, claimedLate}) {
            assertTrue(exists(kept), kept);
            try (var object = fixture.media.objects().get(MediaKeys.original(kept), Optional.empty()).orElseThrow()) {
                assertTrue(object.length() > 0);
            }
        }

        assertEquals(1, janitorAt(Duration.ofHours(45)).sweep(), "a day after the last send naming it");
        assertFalse(exists(claimedLate));
        assertEquals(0, janitorAt(Duration.ofDays(30)).sweep(), "what is used stays");
    }

    private static MediaJanitor janitorAt(Duration ahead) {
        return new MediaJanitor(fixture.database, fixture.media.objects(), Duration.ofDays(1), MediaMeters.unread(),
                Clock.offset(Clock.systemUTC(), ahead));
    }

    private static boolean exists(String mediaId) {
        return fixture.database.withConnection(c -> {
            try (var select = c.prepareStatement("SELECT 1 FROM media WHERE media_id = ?")) {
                select.setString(1, mediaId);
                try (var row = select.executeQuery()) {
                    return row.next();
                }
            }
        });
    }

    private static String upload(byte[] bytes) throws Exception {
        HttpResponse<String> created = http.send(HttpRequest.newBuilder(uri("/v1/media"))
                .header("Authorization", "Bearer " + ann.accessToken())
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return JSON.readTree(created.body()).path("mediaId").asText();
    }

    private static void get(String path) throws Exception {
        HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(uri(path))
                .header("Authorization", "Bearer " + ann.accessToken()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, answer.statusCode());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + fixture.client.port() + path);
    }
}
