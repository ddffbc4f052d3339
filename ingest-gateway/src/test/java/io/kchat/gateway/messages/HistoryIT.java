package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** GET /v1/conversations/{id}/messages over an archive of 120 messages (and one above the watermark). */
class HistoryIT {

    private static final int ARCHIVED = 120;
    private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static RestApiFixture fixture;
    private static ApiClient client;
    private static Login owner;
    private static Login member;
    private static String conversationId;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("HistoryIT");
        client = fixture.client;
        owner = TestUsers.registerAndLogin(client, "owner");
        member = TestUsers.registerAndLogin(client, "member");
        Answer created = client.post("/v1/conversations", "{\"type\":\"group\",\"title\":\"history\",\"memberIds\":[\""
                + member.userId() + "\"]}", owner.accessToken());
        assertEquals(201, created.status());
        conversationId = created.text("conversationId");
        ReadModelRows rows = new ReadModelRows(fixture.database);
        rows.messages(conversationId, ARCHIVED, member.userId(), START);
        rows.messageAboveWatermark(conversationId, ARCHIVED + 1, member.userId(), START.plusSeconds(ARCHIVED + 1));
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @ParameterizedTest(name = "{0} -> {1}..{2}")
    @CsvSource(delimiter = '|', value = {
            "''                        | 71  | 120",
            "limit=100                 | 21  | 120",
            "limit=1                   | 120 | 120",
            "before=71                 | 21  | 70",
            "before=21                 | 1   | 20",
            "before=500&limit=3        | 118 | 120",
            "after=0&limit=10          | 1   | 10",
            "after=115                 | 116 | 120",
            "after=10&before=20        | 11  | 19",
            "after=10&before=100&limit=5 | 11 | 15",
            "before=100&after=10&limit=5 | 11 | 15"})
    void pagesAreAscendingSlicesOfTheArchive(String query, long first, long last) {
        assertEquals(LongStream.rangeClosed(first, last).boxed().toList(), seqs(page(owner, query)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"before=1", "after=120", "after=5&before=6", "after=9&before=3"})
    void emptyRangesAreEmptyPages(String query) {
        assertEquals(List.of(), seqs(page(owner, query)));
    }

    @Test
    void messagesAreTheApiMessageObject() {
        JsonNode message = page(owner, "after=6&limit=1").get(0);

        assertEquals(conversationId, message.get("conversationId").asText());
        assertEquals(7, message.get("seq").asLong());
        assertEquals("m-7", message.get("messageId").asText());
        assertEquals("c-7", message.get("id").asText());
        assertEquals(member.userId(), message.get("senderId").asText());
        assertEquals("body 7", message.get("body").asText());
        assertEquals(START.plusSeconds(7), Instant.parse(message.get("ts").asText()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"limit=101", "limit=0", "limit=-1", "limit=ten", "before=x", "after=-1", "before=1.5",
            "after=99999999999999999999"})
    void badParametersAre400WithADetail(String query) {
        Answer answer = client.get(path(conversationId) + "?" + query, owner.accessToken());

        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        assertEquals("bad_request", answer.text("code"));
        assertEquals("application/problem+json", answer.contentType());
        String parameter = query.substring(0, query.indexOf('='));
        assertTrue(answer.text("detail").contains(parameter), answer.text("detail"));
    }

    @Test
    void outsidersAndRemovedMembersGet404AndNewMembersTheWholeArchive() {
        Login outsider = TestUsers.registerAndLogin(client, "outsider");
        Login leaver = TestUsers.registerAndLogin(client, "leaver");
        Login joiner = TestUsers.registerAndLogin(client, "joiner");
        assertEquals(204, client.post("/v1/conversations/" + conversationId + "/members",
                "{\"userId\":\"" + leaver.userId() + "\"}", owner.accessToken()).status());
        assertEquals(200, client.get(path(conversationId), leaver.accessToken()).status());
        assertEquals(204, client.delete("/v1/conversations/" + conversationId + "/members/" + leaver.userId(),
                owner.accessToken()).status());

        assertNotFound(client.get(path(conversationId), outsider.accessToken()));
        assertNotFound(client.get(path(conversationId), leaver.accessToken()));
        assertNotFound(client.get(path("no-such-conversation"), owner.accessToken()));

        assertEquals(204, client.post("/v1/conversations/" + conversationId + "/members",
                "{\"userId\":\"" + joiner.userId() + "\"}", owner.accessToken()).status());
        assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), seqs(page(joiner, "after=0&limit=100")),
                "shared history: a new member reads what was said before they joined");
    }

    private static void assertNotFound(Answer answer) {
        assertEquals(404, answer.status(), String.valueOf(answer.body()));
        assertEquals("not_found", answer.text("code"));
    }

    private static JsonNode page(Login login, String query) {
        Answer answer = client.get(path(conversationId) + (query.isEmpty() ? "" : "?" + query), login.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        return answer.body().get("messages");
    }

    private static List<Long> seqs(JsonNode messages) {
        List<Long> seqs = new ArrayList<>();
        messages.forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    private static String path(String id) {
        return "/v1/conversations/" + id + "/messages";
    }
}
