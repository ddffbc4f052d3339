package io.kchat.gateway.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.events.SettingsChanged;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.auth.MutableClock;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import io.kchat.gateway.push.PushConfig;
import io.kchat.schemas.OutboxEvents;
import java.net.UnknownHostException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A member's own settings of a conversation through the REST API on the real database and broker: partial changes,
 * a timed mute running out on the test's clock, members only, each change in the outbox and on chat.user-inbound,
 * and the list with the settings and pinned conversations first.
 */
class ConversationSettingsIT {

    private static MutableClock clock;
    private static RestApiFixture fixture;
    private static ApiClient client;

    @BeforeAll
    static void start() {
        clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
        fixture = RestApiFixture.startWithPush("ConversationSettingsIT", PushConfig.defaults(), host -> {
            throw new UnknownHostException(host);
        }, clock);
        client = fixture.client;
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static String path(String conversationId) {
        return "/v1/conversations/" + conversationId + "/settings";
    }

    private static JsonNode put(Login login, String conversationId, String body) {
        Answer answer = client.put(path(conversationId), body, login.accessToken());
        assertEquals(200, answer.status(), body + " -> " + answer.body());
        return answer.body();
    }

    private static JsonNode settings(boolean muted, String mutedUntil, boolean pinned, boolean archived)
            throws Exception {
        String until = mutedUntil == null ? "" : ",\"mutedUntil\":\"" + mutedUntil + "\"";
        return io.kchat.gateway.json.Json.mapper().readTree("{\"muted\":" + muted + until + ",\"pinned\":" + pinned
                + ",\"archived\":" + archived + "}");
    }

    @Test
    void partialChangesKeepTheRestAndATimedMuteRunsOut() throws Exception {
        Login ann = TestUsers.registerAndLogin(client, "sann");
        Login ben = TestUsers.registerAndLogin(client, "sben");
        String group = TestConversations.group(client, ann, "weekend", ben);

        assertEquals(settings(false, null, false, false), client.get(path(group), ann.accessToken()).body(),
                "the defaults without a row");
        assertEquals(settings(false, null, true, false), put(ann, group, "{\"pinned\":true}"));
        assertEquals(settings(false, null, true, true), put(ann, group, "{\"archived\":true}"), "pinned stays");
        Instant inAnHour = clock.instant().plus(Duration.ofHours(1));
        assertEquals(settings(true, inAnHour.toString(), true, true),
                put(ann, group, "{\"mutedUntil\":\"" + inAnHour + "\"}"));
        assertEquals(settings(true, inAnHour.toString(), true, true), client.get(path(group), ann.accessToken()).body());
        assertEquals(settings(false, null, false, false), client.get(path(group), ben.accessToken()).body(),
                "each member has their own");

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        ann = TestUsers.login(client, "sann", ann.deviceId()); // her access token expired meanwhile
        assertEquals(settings(false, null, true, true), client.get(path(group), ann.accessToken()).body(),
                "an expired mute reads as not muted");
        assertEquals(settings(false, null, true, false), put(ann, group, "{\"archived\":false}"),
                "and stays so through a later change");

        assertEquals(settings(true, null, true, false), put(ann, group, "{\"muted\":true}"), "until unmuted");
        assertEquals(settings(false, null, true, false), put(ann, group, "{\"muted\":false}"));
    }

    @Test
    void badValuesAreRefusedAndNonMembersSeeNothing() {
        Login cat = TestUsers.registerAndLogin(client, "scat");
        Login dan = TestUsers.registerAndLogin(client, "sdan");
        Login eve = TestUsers.registerAndLogin(client, "seve");
        String group = TestConversations.group(client, cat, "club", dan);
        for (String body : List.of("{\"mutedUntil\":\"" + clock.instant().minusSeconds(1) + "\"}",
                "{\"mutedUntil\":\"" + clock.instant() + "\"}", "{\"mutedUntil\":\"next week\"}",
                "{\"mutedUntil\":12}", "{\"pinned\":\"yes\"}", "{\"muted\":false,\"mutedUntil\":\""
                        + clock.instant().plusSeconds(60) + "\"}", "[]")) {
            Answer answer = client.put(path(group), body, cat.accessToken());
            assertEquals(400, answer.status(), body + " -> " + answer.body());
            assertEquals("bad_request", answer.text("code"));
        }
        Answer wrongType = client.put(path(group), "{\"archived\":\"no\"}", cat.accessToken());
        assertTrue(wrongType.text("detail").contains("archived"), String.valueOf(wrongType.body()));

        assertEquals(404, client.get(path(group), eve.accessToken()).status());
        assertEquals(404, client.put(path(group), "{\"pinned\":true}", eve.accessToken()).status());
        assertEquals(404, client.get(path("no-such-conversation"), cat.accessToken()).status());
        assertEquals(401, client.get(path(group), null).status());
        assertEquals(List.of(), settingsEvents(eve), "nothing refused is announced");
        assertEquals(List.of(), settingsEvents(cat));
    }

    @Test
    void eachChangeIsInTheOutboxAndOnTheUserLogBeforeTheAnswer() {
        Login fay = TestUsers.registerAndLogin(client, "sfay");
        Login gus = TestUsers.registerAndLogin(client, "sgus");
        String group = TestConversations.group(client, fay, "team", gus);
        put(fay, group, "{\"pinned\":true}");
        Instant until = clock.instant().plus(Duration.ofMinutes(30));
        put(fay, group, "{\"mutedUntil\":\"" + until + "\"}");

        List<SettingsChanged> published = settingsEvents(fay);
        assertEquals(2, published.size(), "one event per change: " + published);
        SettingsChanged pinned = published.get(0);
        assertEquals(group, pinned.getConversationId());
        assertTrue(pinned.getPinned());
        assertFalse(pinned.getMuted());
        SettingsChanged muted = published.get(1);
        assertTrue(muted.getMuted());
        assertEquals(until, muted.getMutedUntil());
        assertTrue(muted.getPinned(), "the whole state, not the change");
        assertEquals(2, published.stream().map(SettingsChanged::getEventId).distinct().count(), "unique event ids");

        List<SettingsChanged> outbox = outboxEvents(fay);
        assertEquals(published.stream().map(SettingsChanged::getEventId).toList(),
                outbox.stream().map(SettingsChanged::getEventId).toList(), "the same events, by the same ids");
        assertEquals(List.of(), settingsEvents(gus), "only to the user who changed them");
    }

    @Test
    void theListShowsEachConversationsSettingsWithPinnedOnesFirst() {
        Login hal = TestUsers.registerAndLogin(client, "shal");
        Login ida = TestUsers.registerAndLogin(client, "sida");
        String first = TestConversations.group(client, hal, "first", ida);
        clock.advance(Duration.ofSeconds(1));
        String second = TestConversations.group(client, hal, "second", ida);
        clock.advance(Duration.ofSeconds(1));
        String third = TestConversations.group(client, hal, "third", ida);
        assertEquals(List.of(third, second, first), ids(list(hal)), "most recent activity first");

        put(hal, first, "{\"pinned\":true}");
        put(hal, second, "{\"archived\":true,\"muted\":true}");
        JsonNode conversations = list(hal);
        assertEquals(List.of(first, third, second), ids(conversations), "pinned first, then the same order");
        assertEquals(settingsOf(true, false, false), conversations.get(0).get("settings"));
        assertEquals(settingsOf(false, false, false), conversations.get(1).get("settings"));
        assertEquals(settingsOf(false, true, true), conversations.get(2).get("settings"));

        put(hal, third, "{\"pinned\":true}");
        assertEquals(List.of(third, first, second), ids(list(hal)), "pinned ones among themselves by activity");
        assertEquals(List.of(third, second, first), ids(list(ida)), "another member's pins are not hers");
        assertEquals(settingsOf(true, false, false),
                client.get("/v1/conversations/" + first, hal.accessToken()).body().get("settings"),
                "one conversation shows them too");
    }

    private static JsonNode settingsOf(boolean pinned, boolean archived, boolean muted) {
        return io.kchat.gateway.json.Json.mapper().createObjectNode().put("muted", muted).put("pinned", pinned)
                .put("archived", archived);
    }

    private static JsonNode list(Login login) {
        Answer answer = client.get("/v1/conversations", login.accessToken());
        assertEquals(200, answer.status());
        return answer.body().get("conversations");
    }

    private static List<String> ids(JsonNode conversations) {
        return StreamSupport.stream(conversations.spliterator(), false)
                .map(c -> c.get("conversationId").asText()).toList();
    }

    private static List<SettingsChanged> settingsEvents(Login login) {
        return fixture.published(fixture.userInboundTopic, login.userId()).stream()
                .map(ConversationSettingsIT::settingsChanged).filter(java.util.Objects::nonNull).toList();
    }

    private static List<SettingsChanged> outboxEvents(Login login) {
        List<byte[]> payloads = fixture.database.withConnection(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "SELECT payload FROM outbox WHERE aggregate_id = ? AND event_type = ? ORDER BY id")) {
                statement.setString(1, login.userId());
                statement.setString(2, OutboxEvents.USER_COMMAND);
                try (ResultSet rows = statement.executeQuery()) {
                    List<byte[]> found = new ArrayList<>();
                    while (rows.next()) {
                        found.add(rows.getBytes(1));
                    }
                    return found;
                }
            }
        });
        String topic = fixture.userInboundTopic.name();
        return payloads.stream()
                .map(p -> fixture.userInboundTopic.valueSerde().deserializer().deserialize(topic, p))
                .map(ConversationSettingsIT::settingsChanged).filter(java.util.Objects::nonNull).toList();
    }

    private static SettingsChanged settingsChanged(UserCommand command) {
        return command.getCommand() instanceof UserEvent event && event.getPayload() instanceof SettingsChanged s
                ? s : null;
    }
}
