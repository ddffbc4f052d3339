package io.kchat.gateway.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.gateway.avatars.AvatarMedia;
import io.kchat.gateway.avatars.MediaRows;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * PATCH /v1/conversations/{id} {avatarMediaId}: the rights of a rename, the media rules of a user's avatar, the views
 * that show it and the ConversationChanged that tells the members (as a rename does: event "updated").
 */
class GroupAvatarIT {

    private static final AtomicInteger USERS = new AtomicInteger();
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;
    private static MediaRows media;
    private Login owner;
    private Login admin;
    private Login member;
    private Login outsider;
    private String groupId;

    @BeforeAll
    static void startFixture() {
        fixture = RestApiFixture.start("GroupAvatarIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
        media = new MediaRows(rows);
    }

    @AfterAll
    static void stopFixture() {
        fixture.close();
    }

    @BeforeEach
    void group() {
        owner = user("owner");
        admin = user("admin");
        member = user("member");
        outsider = user("outsider");
        groupId = TestConversations.group(client, owner, "team", admin, member);
        rows.role(groupId, admin.userId(), "admin");
    }

    @Test
    void theOwnerOrAnAdminSetsItEveryMemberSeesItAndIsToldAsOfARename() {
        String image = media.image(owner.userId());
        assertFalse(conversation(member).has("avatarMediaId"), "no avatar to begin with");

        Answer set = patch(owner, "{\"avatarMediaId\":\"" + image + "\"}");
        assertEquals(200, set.status(), String.valueOf(set.body()));
        assertEquals(image, set.text("avatarMediaId"));
        assertEquals("team", set.text("title"), "the title as it was");
        assertEquals(image, conversation(member).path("avatarMediaId").asText());
        JsonNode listed = client.get("/v1/conversations", member.accessToken()).body().path("conversations").get(0);
        assertEquals(image, listed.path("avatarMediaId").asText());

        ConversationChanged changed = changes().getLast();
        assertEquals(ConversationEventKind.UPDATED, changed.getKind());
        assertEquals(owner.userId(), changed.getActorId());
        assertEquals(image, changed.getConversation().getAvatarMediaId());
        assertEquals(2L, changed.getConversation().getVersion());

        assertEquals(200, patch(admin, "{\"avatarMediaId\":\"" + image + "\"}").status(),
                "the current avatar again, though the admin did not upload it: nothing changes");
        assertEquals(2L, changes().getLast().getConversation().getVersion());

        Answer renamed = patch(owner, "{\"title\":\"renamed\"}");
        assertEquals(image, renamed.text("avatarMediaId"), "a rename keeps the avatar");
        assertEquals(image, changes().getLast().getConversation().getAvatarMediaId());

        String adminsImage = media.image(admin.userId());
        Answer both = patch(admin, "{\"title\":\"both\",\"avatarMediaId\":\"" + adminsImage + "\"}");
        assertEquals(200, both.status(), String.valueOf(both.body()));
        assertEquals(adminsImage, both.text("avatarMediaId"));
        assertEquals("both", both.text("title"));

        Answer cleared = patch(admin, "{\"avatarMediaId\":null}");
        assertEquals(200, cleared.status(), String.valueOf(cleared.body()));
        assertFalse(cleared.body().has("avatarMediaId"), cleared.body().toString());
        assertFalse(conversation(member).has("avatarMediaId"));
        ConversationChanged clearedChange = changes().getLast();
        assertNull(clearedChange.getConversation().getAvatarMediaId());
        assertEquals("both", clearedChange.getConversation().getTitle());
        assertEquals(5L, clearedChange.getConversation().getVersion());
        assertEquals(List.of(1L, 2L, 2L, 3L, 4L, 5L),
                changes().stream().map(c -> c.getConversation().getVersion()).toList());
    }

    @Test
    void onlyACompleteImageTheActorUploaded() {
        String own = media.image(owner.userId());
        assertEquals(200, patch(owner, "{\"avatarMediaId\":\"" + own + "\"}").status());

        Answer members = patch(owner, "{\"avatarMediaId\":\"" + media.image(member.userId()) + "\"}");
        Answer unknown = patch(owner, "{\"avatarMediaId\":\"no-such-media\"}");
        Answer pdf = patch(owner, "{\"avatarMediaId\":\"" + media.complete(owner.userId(), "application/pdf") + "\"}");
        Answer uploading = patch(owner, "{\"avatarMediaId\":\"" + media.uploading(owner.userId()) + "\"}");
        for (Answer refused : List.of(members, unknown, pdf, uploading)) {
            assertProblem(refused, 400, "bad_request");
            assertEquals(AvatarMedia.UNUSABLE, refused.text("reason"));
        }
        assertEquals(members.body(), unknown.body(), "nobody learns whether someone else's media exists");
        assertProblem(patch(owner, "{\"avatarMediaId\":7}"), 400, "bad_request");
        assertProblem(patch(owner, "{\"title\":\"never\",\"avatarMediaId\":\"no-such-media\"}"), 400, "bad_request");

        JsonNode seen = conversation(member);
        assertEquals(own, seen.path("avatarMediaId").asText(), "every refusal left the avatar as it was");
        assertEquals("team", seen.path("title").asText(), "and the title of the same PATCH");
        assertEquals(2L, changes().getLast().getConversation().getVersion());
    }

    @Test
    void aPlainMemberMayNotAnOutsiderCannotTellADirectConversationHasNone() {
        assertProblem(patch(member, "{\"avatarMediaId\":\"" + media.image(member.userId()) + "\"}"), 403, "forbidden");
        assertProblem(patch(member, "{\"avatarMediaId\":null}"), 403, "forbidden");
        assertProblem(patch(outsider, "{\"avatarMediaId\":\"" + media.image(outsider.userId()) + "\"}"), 404,
                "not_found");

        String directId = TestConversations.direct(client, owner, member);
        Answer direct = client.patch("/v1/conversations/" + directId,
                "{\"avatarMediaId\":\"" + media.image(owner.userId()) + "\"}", owner.accessToken());
        assertProblem(direct, 409, "conflict");
        assertEquals(MembershipRules.DIRECT_CONVERSATION, direct.text("reason"));
        assertFalse(client.get("/v1/conversations/" + directId, owner.accessToken()).body().has("avatarMediaId"));
        assertEquals(1, changes().size(), "only the group's creation");
    }

    private JsonNode conversation(Login viewer) {
        return client.get("/v1/conversations/" + groupId, viewer.accessToken()).body();
    }

    private Answer patch(Login actor, String body) {
        return client.patch("/v1/conversations/" + groupId, body, actor.accessToken());
    }

    private List<ConversationChanged> changes() {
        return fixture.published(fixture.inboundTopic, groupId).stream()
                .map(InboundCommand::getCommand)
                .filter(ConversationChanged.class::isInstance)
                .map(ConversationChanged.class::cast)
                .toList();
    }

    private static Login user(String name) {
        return TestUsers.registerAndLogin(client, name + "-" + USERS.incrementAndGet());
    }

    private static void assertProblem(Answer answer, int status, String code) {
        assertEquals(status, answer.status(), String.valueOf(answer.body()));
        assertEquals("application/problem+json", answer.contentType());
        assertEquals(code, answer.text("code"));
    }
}
