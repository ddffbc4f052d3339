package io.kchat.gateway.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The conversation list's read model (lastSeq, readSeq, unread, lastMessage, order) over rows written as the projector would. */
class ConversationListIT {

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("ConversationListIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void eachMemberSeesTheirOwnReadStateMostRecentActivityFirst() {
        Login ann = TestUsers.registerAndLogin(client, "ann");
        Login ben = TestUsers.registerAndLogin(client, "ben");
        Login cat = TestUsers.registerAndLogin(client, "cat");
        String busy = TestConversations.group(client, ann, "busy", ben, cat);
        String direct = TestConversations.direct(client, ann, ben);
        String quiet = TestConversations.group(client, ann, "quiet", cat);
        Instant later = Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.MILLIS);
        rows.message(busy, 1, ben.userId(), "one", later.plusSeconds(1));
        rows.message(busy, 2, ann.userId(), "two", later.plusSeconds(2));
        rows.message(busy, 3, cat.userId(), "three", later.plusSeconds(3));
        rows.message(busy, 4, ben.userId(), "four", later.plusSeconds(4));
        rows.messageAboveWatermark(busy, 5, cat.userId(), later.plusSeconds(5));
        rows.readSeq(busy, ann.userId(), 2);
        rows.readSeq(busy, ben.userId(), 1);
        rows.message(direct, 1, ann.userId(), "hi", later.minusSeconds(60));

        Map<String, JsonNode> annList = list(ann);
        assertEquals(List.of(busy, direct, quiet), List.copyOf(annList.keySet()), "most recent activity first");
        JsonNode busyForAnn = annList.get(busy);
        assertEquals(4, busyForAnn.get("lastSeq").asLong(), "the watermark, not the row above it");
        assertEquals(2, busyForAnn.get("readSeq").asLong());
        assertEquals(2, busyForAnn.get("unread").asLong(), "seq 3 and 4 are from others; 5 is above the watermark");
        JsonNode last = busyForAnn.get("lastMessage");
        assertEquals(busy, last.get("conversationId").asText());
        assertEquals(4, last.get("seq").asLong());
        assertEquals("m-" + busy + "-4", last.get("messageId").asText());
        assertEquals("c-4", last.get("id").asText());
        assertEquals(ben.userId(), last.get("senderId").asText());
        assertEquals("four", last.get("body").asText());
        assertEquals(later.plusSeconds(4), Instant.parse(last.get("ts").asText()));
        assertEquals(0, annList.get(direct).get("unread").asLong(), "her own message is not unread");
        JsonNode quietForAnn = annList.get(quiet);
        assertEquals(0, quietForAnn.get("lastSeq").asLong());
        assertFalse(quietForAnn.has("lastMessage"));

        Map<String, JsonNode> benList = list(ben);
        assertEquals(List.of(busy, direct), List.copyOf(benList.keySet()));
        assertEquals(1, benList.get(busy).get("readSeq").asLong());
        assertEquals(2, benList.get(busy).get("unread").asLong(), "seq 2 and 3; seq 4 is his own");
        assertEquals(1, benList.get(direct).get("unread").asLong());
        assertEquals(3, list(cat).get(busy).get("unread").asLong(), "cat read nothing; seq 3 is hers");

        Answer one = client.get("/v1/conversations/" + busy, ben.accessToken());
        assertEquals(200, one.status());
        assertEquals(2, one.body().get("unread").asLong(), "a single conversation carries the same read state");
        assertEquals(4, one.body().get("lastMessage").get("seq").asLong());
    }

    @Test
    void receiptsShowEveryMembersPositionsToMembersOnly() {
        Login eli = TestUsers.registerAndLogin(client, "eli");
        Login fay = TestUsers.registerAndLogin(client, "fay");
        Login gus = TestUsers.registerAndLogin(client, "gus");
        String group = TestConversations.group(client, eli, "marks", fay);
        rows.update("UPDATE conversation_members SET delivered_seq = 7, read_seq = 5 WHERE conversation_id = ? AND user_id = ?",
                group, fay.userId());
        // read above delivered (two receipts applied in another order) still shows delivered up to the read
        rows.update("UPDATE conversation_members SET delivered_seq = 2, read_seq = 3 WHERE conversation_id = ? AND user_id = ?",
                group, eli.userId());

        Answer answer = client.get("/v1/conversations/" + group + "/receipts", eli.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        Map<String, JsonNode> byUser = new LinkedHashMap<>();
        answer.body().get("receipts").forEach(r -> byUser.put(r.get("userId").asText(), r));
        assertEquals(Set.of(eli.userId(), fay.userId()), byUser.keySet());
        assertEquals(7, byUser.get(fay.userId()).get("deliveredSeq").asLong());
        assertEquals(5, byUser.get(fay.userId()).get("readSeq").asLong());
        assertEquals(3, byUser.get(eli.userId()).get("deliveredSeq").asLong());
        assertEquals(3, byUser.get(eli.userId()).get("readSeq").asLong());

        assertEquals(404, client.get("/v1/conversations/" + group + "/receipts", gus.accessToken()).status(),
                "a stranger cannot tell the conversation exists");
        assertEquals(404, client.get("/v1/conversations/no-such/receipts", eli.accessToken()).status());
    }

    @Test
    void equalActivityIsOrderedByConversationId() {
        Login dan = TestUsers.registerAndLogin(client, "dan");
        List<String> ids = new ArrayList<>();
        for (String title : List.of("a", "b", "c")) {
            ids.add(TestConversations.group(client, dan, title));
        }
        Instant same = Instant.now().plus(2, ChronoUnit.HOURS);
        ids.forEach(id -> rows.update("UPDATE conversations SET last_activity_at = ? WHERE conversation_id = ?",
                same, id));

        ids.sort(String::compareTo);
        assertEquals(ids, List.copyOf(list(dan).keySet()));
    }

    private static Map<String, JsonNode> list(Login login) {
        Answer answer = client.get("/v1/conversations", login.accessToken());
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        List<JsonNode> items = new ArrayList<>();
        answer.body().get("conversations").forEach(items::add);
        return items.stream().collect(Collectors.toMap(n -> n.get("conversationId").asText(), Function.identity(),
                (a, b) -> a, LinkedHashMap::new));
    }
}
