package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.events.Attachment;
import io.kchat.events.InboundCommand;
import io.kchat.events.SendMessage;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends with attachments over HTTP against a real broker and database (media rows written with SQL, as an upload would
 * leave them): what is published, which media are claimed, and the refusals that leave chat.inbound untouched.
 */
class AttachmentSendIT {

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login ann;
    private static Login ben;
    private static String group;
    private static String secret;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("AttachmentSendIT");
        client = fixture.client;
        ann = TestUsers.registerAndLogin(client, "ann");
        ben = TestUsers.registerAndLogin(client, "ben");
        group = create("{\"type\":\"group\",\"title\":\"photos\",\"memberIds\":[\"" + ben.userId() + "\"]}");
        secret = create("{\"type\":\"group\",\"title\":\"secret\",\"memberIds\":[\"" + ben.userId()
                + "\"],\"encrypted\":true}");
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void theServerFillsInWhatTheUploadMeasuredAndClaimsTheMedia() {
        String photo = media(ann, "complete", "image/png", 2048, 640, 480);
        String voice = media(ann, "complete", "audio/ogg", 999, null, null);

        Answer answer = send(ann, group, "with-files", "", "[{\"mediaId\":\"" + photo + "\",\"name\":\"../../etc/passwd\","
                + "\"contentType\":\"text/html\",\"size\":1},{\"mediaId\":\"" + voice + "\",\"durationMs\":4200}]");

        assertEquals(202, answer.status(), String.valueOf(answer.body()));
        SendMessage published = published(group, "with-files");
        assertEquals("", published.getBody(), "a send with attachments needs no body");
        assertEquals(List.of(new Attachment(photo, "image/png", 2048L, "passwd", 640, 480, null),
                new Attachment(voice, "audio/ogg", 999L, null, null, null, 4200L)), published.getAttachments());
        assertNotNull(claimedAt(photo));
        assertNotNull(claimedAt(voice));
        assertEquals(202, send(ann, group, "caption", "look", "[{\"mediaId\":\"" + photo + "\"}]").status(),
                "the same upload may be attached again");
    }

    @Test
    void someoneElsesMediaAndNoMediaAtAllAreTheSameRefusal() {
        String bens = media(ben, "complete", "image/jpeg", 10, 1, 1);

        Answer notYours = send(ann, group, "theirs", "x", "[{\"mediaId\":\"" + bens + "\"}]");
        Answer none = send(ann, group, "nothing", "x", "[{\"mediaId\":\"no-such-media\"}]");

        assertRefused(notYours, group, "theirs");
        assertRefused(none, group, "nothing");
        assertEquals(notYours.body().get("detail"), none.body().get("detail"), "nothing tells the two apart");
        assertNull(claimedAt(bens), "a refused send claims nothing");
    }

    @Test
    void anUploadStillInProgressIsRefusedAndNothingOfTheSendIsClaimed() {
        String done = media(ann, "complete", "image/png", 5, 1, 1);
        String uploading = media(ann, "uploading", "image/png", 0, null, null);

        assertRefused(send(ann, group, "half", "x", "[{\"mediaId\":\"" + done + "\"},{\"mediaId\":\"" + uploading
                + "\"}]"), group, "half");
        assertNull(claimedAt(done), "the check and the claim are one transaction");
    }

    @Test
    void moreThanTenOrTheSameMediaTwiceIsRefused() {
        List<String> eleven = new ArrayList<>();
        for (int i = 0; i < 11; i++) {
            eleven.add("{\"mediaId\":\"" + media(ann, "complete", "image/png", 5, 1, 1) + "\"}");
        }
        assertRefused(send(ann, group, "eleven", "x", "[" + String.join(",", eleven) + "]"), group, "eleven");
        assertEquals(202, send(ann, group, "ten", "x", "[" + String.join(",", eleven.subList(0, 10)) + "]").status());

        String photo = media(ann, "complete", "image/png", 5, 1, 1);
        assertRefused(send(ann, group, "twice", "x", "[{\"mediaId\":\"" + photo + "\"},{\"mediaId\":\"" + photo + "\"}]"),
                group, "twice");
    }

    @Test
    void aDurationIsOnlyForAudio() {
        String photo = media(ann, "complete", "image/png", 5, 1, 1);

        assertRefused(send(ann, group, "long-photo", "x", "[{\"mediaId\":\"" + photo + "\",\"durationMs\":1000}]"),
                group, "long-photo");
        assertNull(claimedAt(photo));
    }

    @Test
    void noAttachmentsInAnEncryptedConversation() {
        String photo = media(ann, "complete", "image/png", 5, 1, 1);
        String ciphertext = "{\"algorithm\":\"test-v1\",\"senderDeviceId\":\"" + ann.deviceId() + "\",\"envelopes\":"
                + "[{\"userId\":\"" + ben.userId() + "\",\"deviceId\":\"" + ben.deviceId() + "\",\"ciphertext\":\"AQ\"}]}";

        Answer sealed = client.post("/v1/conversations/" + secret + "/messages", "{\"id\":\"sealed\",\"ciphertext\":"
                + ciphertext + ",\"attachments\":[{\"mediaId\":\"" + photo + "\"}]}", ann.accessToken());
        assertRefused(sealed, secret, "sealed");
        assertEquals(MessageService.ENCRYPTED_ATTACHMENTS, sealed.text("detail"));
        assertRefused(send(ann, secret, "plain-file", "", "[{\"mediaId\":\"" + photo + "\"}]"), secret, "plain-file");
        assertNull(claimedAt(photo));
    }

    @Test
    void withoutAttachmentsABodyIsStillRequired() {
        assertRefused(send(ann, group, "empty", "", "[]"), group, "empty");
    }

    private static void assertRefused(Answer answer, String conversationId, String clientId) {
        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        assertEquals("bad_request", answer.text("code"));
        assertEquals(List.of(), sends(conversationId).stream().filter(s -> s.getClientId().equals(clientId)).toList(),
                "nothing of a refused send is published");
    }

    private static Answer send(Login from, String conversationId, String id, String body, String attachments) {
        return client.post("/v1/conversations/" + conversationId + "/messages", "{\"id\":\"" + id + "\",\"body\":\""
                + body + "\",\"attachments\":" + attachments + "}", from.accessToken());
    }

    /** A media row as the upload path leaves it. */
    private static String media(Login owner, String state, String contentType, long size, Integer width,
                                Integer height) {
        String mediaId = "media-" + UUID.randomUUID();
        fixture.database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO media (media_id, owner_id, state, content_type, size, width, height, completed_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, CASE WHEN ? = 'complete' THEN now() END)""")) {
                insert.setString(1, mediaId);
                insert.setString(2, owner.userId());
                insert.setString(3, state);
                insert.setString(4, contentType);
                insert.setObject(5, state.equals("complete") ? size : null);
                insert.setObject(6, width);
                insert.setObject(7, height);
                insert.setString(8, state);
                return insert.executeUpdate();
            }
        });
        return mediaId;
    }

    private static Timestamp claimedAt(String mediaId) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT claimed_at FROM media WHERE media_id = ?")) {
                select.setString(1, mediaId);
                try (ResultSet row = select.executeQuery()) {
                    row.next();
                    return row.getTimestamp(1);
                }
            }
        });
    }

    private static SendMessage published(String conversationId, String clientId) {
        return sends(conversationId).stream().filter(s -> s.getClientId().equals(clientId)).findFirst().orElseThrow();
    }

    private static List<SendMessage> sends(String conversationId) {
        return fixture.published(fixture.inboundTopic, conversationId).stream()
                .map(InboundCommand::getCommand)
                .filter(SendMessage.class::isInstance)
                .map(c -> assertInstanceOf(SendMessage.class, c))
                .toList();
    }

    private static String create(String body) {
        Answer created = client.post("/v1/conversations", body, ann.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.text("conversationId");
    }
}
