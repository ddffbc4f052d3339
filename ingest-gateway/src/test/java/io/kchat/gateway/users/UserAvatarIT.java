package io.kchat.gateway.users;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.avatars.AvatarMedia;
import io.kchat.gateway.avatars.MediaRows;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** PATCH /v1/users/me {avatarMediaId}: which media may be an avatar, and every profile that shows it. */
class UserAvatarIT {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;
    private static MediaRows media;

    @BeforeAll
    static void startFixture() {
        fixture = RestApiFixture.start("UserAvatarIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
        media = new MediaRows(rows);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }

    @Test
    void anImageOfOnesOwnIsTheAvatarOfEveryProfileUntilCleared() {
        Login alice = user("avatar-alice");
        Login bob = user("avatar-bob");
        String image = media.image(alice.userId());
        assertFalse(me(alice).has("avatarMediaId"), "no avatar to begin with");

        Answer set = patchMe(alice, "{\"avatarMediaId\":\"" + image + "\"}");
        assertEquals(200, set.status(), String.valueOf(set.body()));
        assertEquals(image, set.text("avatarMediaId"));
        assertEquals("everyone", set.text("dmPolicy"), "the other fields as they were");

        assertEquals(image, me(alice).path("avatarMediaId").asText());
        assertEquals(image, client.get("/v1/users/" + alice.userId(), bob.accessToken()).text("avatarMediaId"));
        JsonNode found = client.get("/v1/users?query=avatar-alice", bob.accessToken()).body().path("users");
        assertEquals(1, found.size(), found.toString());
        assertEquals(image, found.get(0).path("avatarMediaId").asText());
        assertEquals(image, acceptedContact(alice, bob).path("avatarMediaId").asText(), "the accepted contact");
        assertEquals(image, client.get("/v1/contacts", bob.accessToken()).body().path("contacts").get(0)
                .path("avatarMediaId").asText(), "the contact list");

        Answer renamed = patchMe(alice, "{\"displayName\":\"Alice A.\"}");
        assertEquals(image, renamed.text("avatarMediaId"), "a PATCH without the field keeps the avatar");
        assertEquals("Alice A.", renamed.text("displayName"));

        String newer = media.image(alice.userId());
        assertEquals(newer, patchMe(alice, "{\"avatarMediaId\":\"" + newer + "\"}").text("avatarMediaId"));

        Answer cleared = patchMe(alice, "{\"avatarMediaId\":null}");
        assertEquals(200, cleared.status(), String.valueOf(cleared.body()));
        assertFalse(cleared.body().has("avatarMediaId"), cleared.body().toString());
        assertFalse(client.get("/v1/users/" + alice.userId(), bob.accessToken()).body().has("avatarMediaId"));
        assertEquals(null, avatarColumn(alice));
    }

    @Test
    void onlyACompleteImageOfOnesOwnOneAnswerForWhateverElse() {
        Login alice = user("refused-alice");
        Login bob = user("refused-bob");
        String own = media.image(alice.userId());
        assertEquals(200, patchMe(alice, "{\"avatarMediaId\":\"" + own + "\"}").status());

        Answer someoneElses = patchMe(alice, "{\"avatarMediaId\":\"" + media.image(bob.userId()) + "\"}");
        Answer unknown = patchMe(alice, "{\"avatarMediaId\":\"no-such-media\"}");
        Answer pdf = patchMe(alice, "{\"avatarMediaId\":\"" + media.complete(alice.userId(), "application/pdf") + "\"}");
        Answer uploading = patchMe(alice, "{\"avatarMediaId\":\"" + media.uploading(alice.userId()) + "\"}");
        Answer blank = patchMe(alice, "{\"avatarMediaId\":\"\"}");
        for (Answer refused : new Answer[] {someoneElses, unknown, pdf, uploading, blank}) {
            assertUnusable(refused);
        }
        assertEquals(someoneElses.body(), unknown.body(), "nobody learns whether someone else's media exists");

        Answer number = patchMe(alice, "{\"avatarMediaId\":42}");
        assertEquals(400, number.status());
        assertEquals("bad_request", number.text("code"));

        Answer withName = patchMe(alice, "{\"displayName\":\"Never\",\"avatarMediaId\":\"no-such-media\"}");
        assertUnusable(withName);
        assertEquals(own, me(alice).path("avatarMediaId").asText(), "every refusal left the avatar as it was");
        assertFalse("Never".equals(me(alice).path("displayName").asText()), "nor any other field of the same PATCH");
    }

    private static void assertUnusable(Answer answer) {
        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
        assertEquals("bad_request", answer.text("code"));
        assertEquals(AvatarMedia.UNUSABLE, answer.text("reason"));
    }

    /** {@code requester} asks {@code other} to be a contact and {@code other} accepts: the requester as they see them. */
    private static JsonNode acceptedContact(Login requester, Login other) {
        Answer sent = client.post("/v1/contacts/requests", "{\"userId\":\"" + other.userId() + "\"}",
                requester.accessToken());
        assertEquals(201, sent.status(), String.valueOf(sent.body()));
        Answer accepted = client.post("/v1/contacts/requests/" + sent.body().path("request").path("requestId").asText()
                + "/accept", "", other.accessToken());
        assertEquals(200, accepted.status(), String.valueOf(accepted.body()));
        return accepted.body().path("contact");
    }

    private static String avatarColumn(Login user) {
        return fixture.database.withConnection(connection -> {
            try (var statement = connection.prepareStatement("SELECT avatar_media_id FROM users WHERE user_id = ?")) {
                statement.setString(1, user.userId());
                try (var result = statement.executeQuery()) {
                    result.next();
                    return result.getString(1);
                }
            }
        });
    }

    private static JsonNode me(Login user) {
        return client.get("/v1/users/me", user.accessToken()).body();
    }

    private static Answer patchMe(Login user, String body) {
        return client.patch("/v1/users/me", body, user.accessToken());
    }

    private static Login user(String name) {
        return TestUsers.registerAndLogin(client, name + "-" + USERS.incrementAndGet());
    }
}
