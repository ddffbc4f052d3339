package io.kchat.gateway.assistant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.gateway.conversations.ConversationConfig;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.schemas.AssistantUser;
import io.kchat.settings.AssistantModel;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The assistant's REST side on the real database and broker: offered only with a model configured (503
 * {@code unavailable} otherwise), its conversations created like groups (CREATED published, listed with type
 * assistant) and closed to anyone else, its user out of reach of people's lookups and logins, and a failed answer
 * shown as such by history, the list and search.
 */
class AssistantIT {

    private static final AssistantModel MODEL = new AssistantModel(URI.create("http://127.0.0.1:1/v1"), "test-model");

    private static RestApiFixture fixture;
    private static RestApiFixture unconfigured;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("AssistantIT", ConversationConfig.defaults().withAssistant(MODEL));
        unconfigured = RestApiFixture.start("AssistantOffIT");
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
        unconfigured.close();
    }

    @Test
    void withoutAModelTheProbeSaysSoAndCreatingIsRefused503Unavailable() {
        Login ann = TestUsers.registerAndLogin(unconfigured.client, "offann");
        Answer info = unconfigured.client.get("/v1/assistant", ann.accessToken());
        assertEquals(200, info.status(), String.valueOf(info.body()));
        assertFalse(info.body().get("available").asBoolean(), String.valueOf(info.body()));
        assertFalse(info.body().has("userId") || info.body().has("model"), "nothing else is said: " + info.body());
        Answer create = unconfigured.client.post("/v1/assistant/conversations", "{}", ann.accessToken());
        assertEquals(503, create.status(), String.valueOf(create.body()));
        assertEquals(AssistantService.UNAVAILABLE, create.text("reason"));
        assertEquals(401, unconfigured.client.get("/v1/assistant", null).status());
    }

    @Test
    void withAModelTheAssistantIsDescribed() {
        Login ann = TestUsers.registerAndLogin(client, "infoann");
        Answer info = client.get("/v1/assistant", ann.accessToken());
        assertEquals(200, info.status(), String.valueOf(info.body()));
        assertTrue(info.body().get("available").asBoolean());
        assertEquals(AssistantUser.ID, info.text("userId"));
        assertEquals("Assistant", info.text("name"));
        assertEquals("test-model", info.text("model"));
        assertEquals(401, client.get("/v1/assistant", null).status());
    }

    @Test
    void aConversationIsCreatedListedAndAnnouncedLikeAGroup() {
        Login ann = TestUsers.registerAndLogin(client, "newann");
        Answer created = client.post("/v1/assistant/conversations", "{}", ann.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        String conversationId = created.text("conversationId");
        assertEquals("assistant", created.text("type"));
        assertEquals("Assistant", created.text("title"));
        assertFalse(created.body().get("encrypted").asBoolean());
        assertEquals(List.of(ann.userId() + " owner", AssistantUser.ID + " member"), members(created.body()));

        Answer titled = client.post("/v1/assistant/conversations", "{\"title\":\"  Trip planning \"}",
                ann.accessToken());
        assertEquals(201, titled.status(), String.valueOf(titled.body()));
        assertEquals("Trip planning", titled.text("title"));

        JsonNode listed = find(client.get("/v1/conversations", ann.accessToken()).body().get("conversations"),
                conversationId);
        assertEquals("assistant", listed.get("type").asText());
        Answer one = client.get("/v1/conversations/" + conversationId, ann.accessToken());
        assertEquals(200, one.status());
        assertEquals("assistant", one.text("type"));

        List<InboundCommand> published = fixture.published(fixture.inboundTopic, conversationId);
        ConversationChanged changed = (ConversationChanged) published.getFirst().getCommand();
        assertEquals(ConversationEventKind.CREATED, changed.getKind());
        assertEquals(ConversationType.ASSISTANT, changed.getConversation().getType());
        assertEquals(ann.userId(), changed.getActorId());
        assertEquals(2, changed.getConversation().getMembers().size());
        assertFalse(changed.getConversation().getEncrypted());
    }

    @Test
    void badTitlesAndTheGenericCreateRouteAreRefused() {
        Login ann = TestUsers.registerAndLogin(client, "badann");
        assertEquals(400, client.post("/v1/assistant/conversations", "{\"title\":\"   \"}", ann.accessToken())
                .status());
        assertEquals(400, client.post("/v1/assistant/conversations", "{\"title\":\"" + "t".repeat(129) + "\"}",
                ann.accessToken()).status());
        assertEquals(400, client.post("/v1/assistant/conversations", "", ann.accessToken()).status());
        assertEquals(401, client.post("/v1/assistant/conversations", "{}", null).status());
        Answer generic = client.post("/v1/conversations", "{\"type\":\"assistant\"}", ann.accessToken());
        assertEquals(400, generic.status(), String.valueOf(generic.body()));
    }

    @Test
    void nobodyJoinsButThePersonRenamesAndLeaves() {
        Login ann = TestUsers.registerAndLogin(client, "joinann");
        Login ben = TestUsers.registerAndLogin(client, "joinben");
        String conversationId = assistantConversation(ann);

        Answer add = client.post("/v1/conversations/" + conversationId + "/members",
                "{\"userId\":\"" + ben.userId() + "\"}", ann.accessToken());
        assertEquals(409, add.status(), String.valueOf(add.body()));
        assertEquals("assistant_conversation", add.text("reason"));
        Answer remove = client.delete("/v1/conversations/" + conversationId + "/members/" + AssistantUser.ID,
                ann.accessToken());
        assertEquals(409, remove.status(), String.valueOf(remove.body()));
        assertEquals("assistant_conversation", remove.text("reason"));
        assertEquals(404, client.get("/v1/conversations/" + conversationId, ben.accessToken()).status());

        Answer renamed = client.patch("/v1/conversations/" + conversationId, "{\"title\":\"Recipes\"}",
                ann.accessToken());
        assertEquals(200, renamed.status(), String.valueOf(renamed.body()));
        assertEquals("Recipes", renamed.text("title"));
        assertEquals("assistant", renamed.text("type"));
        Answer settings = client.put("/v1/conversations/" + conversationId + "/settings", "{\"pinned\":true}",
                ann.accessToken());
        assertEquals(200, settings.status(), String.valueOf(settings.body()));

        assertEquals(204, client.delete("/v1/conversations/" + conversationId + "/members/" + ann.userId(),
                ann.accessToken()).status());
        assertEquals(404, client.get("/v1/conversations/" + conversationId, ann.accessToken()).status());
    }

    @Test
    void theAssistantsUserIsOutOfReachOfPeoplesLookups() {
        Login ann = TestUsers.registerAndLogin(client, "reachann");
        Login ben = TestUsers.registerAndLogin(client, "reachben");
        assertEquals(200, client.patch("/v1/users/me", "{\"displayName\":\"Assistance Desk\"}", ben.accessToken())
                .status());

        Answer search = client.get("/v1/users?query=assist", ann.accessToken());
        assertEquals(200, search.status());
        List<String> found = new ArrayList<>();
        search.body().get("users").forEach(user -> found.add(user.get("userId").asText()));
        assertEquals(List.of(ben.userId()), found, "a person with a matching name is found, the assistant is not");

        Answer profile = client.get("/v1/users/" + AssistantUser.ID, ann.accessToken());
        assertEquals(200, profile.status(), "its public profile names who wrote an answer");
        assertEquals("Assistant", profile.text("displayName"));

        String target = "\"" + AssistantUser.ID + "\"";
        assertEquals(404, client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":" + target + "}",
                ann.accessToken()).status());
        assertEquals(404, client.post("/v1/conversations", "{\"type\":\"direct\",\"userId\":" + target
                + ",\"encrypted\":true}", ann.accessToken()).status());
        assertEquals(404, client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\"g\",\"memberIds\":["
                + target + "]}", ann.accessToken()).status());
        assertEquals(404, client.post("/v1/contacts/requests", "{\"userId\":" + target + "}", ann.accessToken())
                .status());
        String group = TestConversations.group(client, ann, "friends", ben);
        assertEquals(404, client.post("/v1/conversations/" + group + "/members", "{\"userId\":" + target + "}",
                ann.accessToken()).status());
    }

    @Test
    void nobodyLogsInAsTheAssistant() {
        for (String username : List.of("Assistant", "assistant", AssistantUser.ID)) {
            Answer login = client.post("/v1/auth/login", "{\"username\":\"" + username + "\",\"password\":\""
                    + TestUsers.PASSWORD + "\"}", null);
            assertEquals(401, login.status(), username + ": " + login.body());
        }
        Answer empty = client.post("/v1/auth/login", "{\"username\":\"Assistant\",\"password\":\"\"}", null);
        assertTrue(empty.status() == 400 || empty.status() == 401, String.valueOf(empty.body()));
    }

    @Test
    void aFailedAnswerIsShownAsFailedInHistoryTheListAndSearch() {
        Login ann = TestUsers.registerAndLogin(client, "histann");
        String conversationId = assistantConversation(ann);
        ReadModelRows rows = new ReadModelRows(fixture.database);
        Instant ts = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        rows.message(conversationId, 1, ann.userId(), "what is a zebrafish", ts);
        rows.message(conversationId, 2, AssistantUser.ID, "the zebrafish answer failed: the model did not answer",
                ts.plusSeconds(1));
        rows.update("UPDATE messages SET failed = true, reply_to = 1 WHERE conversation_id = ? AND seq = 2",
                conversationId);

        Answer history = client.get("/v1/conversations/" + conversationId + "/messages", ann.accessToken());
        assertEquals(200, history.status(), String.valueOf(history.body()));
        JsonNode messages = history.body().get("messages");
        assertEquals(2, messages.size());
        assertFalse(messages.get(0).has("failed"), "a question is not failed: " + messages.get(0));
        assertTrue(messages.get(1).get("failed").asBoolean(), String.valueOf(messages.get(1)));
        assertEquals(1, messages.get(1).get("replyTo").asLong());
        assertEquals(AssistantUser.ID, messages.get(1).get("senderId").asText());

        JsonNode last = client.get("/v1/conversations/" + conversationId, ann.accessToken()).body()
                .get("lastMessage");
        assertTrue(last.get("failed").asBoolean(), String.valueOf(last));

        Answer search = client.get("/v1/search/messages?q=zebrafish&conversationId=" + conversationId,
                ann.accessToken());
        assertEquals(200, search.status(), String.valueOf(search.body()));
        List<String> flags = new ArrayList<>();
        search.body().get("results").forEach(hit -> flags.add(hit.get("message").get("seq").asLong() + " "
                + hit.get("message").path("failed").asBoolean(false)));
        assertEquals(List.of("2 true", "1 false"), flags);
    }

    private static String assistantConversation(Login owner) {
        Answer created = client.post("/v1/assistant/conversations", "{}", owner.accessToken());
        assertEquals(201, created.status(), String.valueOf(created.body()));
        return created.text("conversationId");
    }

    private static List<String> members(JsonNode conversation) {
        List<String> members = new ArrayList<>();
        conversation.get("members").forEach(m -> members.add(m.get("userId").asText() + " " + m.get("role").asText()));
        return members;
    }

    private static JsonNode find(JsonNode conversations, String conversationId) {
        for (JsonNode conversation : conversations) {
            if (conversation.get("conversationId").asText().equals(conversationId)) {
                return conversation;
            }
        }
        throw new AssertionError("not listed: " + conversationId + " in " + conversations);
    }
}
