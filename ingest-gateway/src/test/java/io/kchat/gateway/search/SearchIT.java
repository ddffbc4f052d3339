package io.kchat.gateway.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.http.ApiClient;
import io.kchat.gateway.http.ApiClient.Answer;
import io.kchat.gateway.http.ReadModelRows;
import io.kchat.gateway.http.RestApiFixture;
import io.kchat.gateway.http.TestConversations;
import io.kchat.gateway.http.TestUsers;
import io.kchat.gateway.http.TestUsers.Login;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * GET /v1/search/messages over archive rows written as the delivery-service writes them (inserted, then edited and
 * deleted by UPDATE), on a real PostgreSQL with migration V8. Each test searches words of its own.
 */
class SearchIT {

    private static final Instant START = Instant.parse("2026-02-01T00:00:00Z");
    private static final Set<String> MESSAGE_FIELDS =
            new TreeSet<>(List.of("conversationId", "seq", "messageId", "id", "senderId", "body", "ts"));

    private static RestApiFixture fixture;
    private static ApiClient client;
    private static ReadModelRows rows;
    private static final Map<String, Long> lastSeq = new ConcurrentHashMap<>();
    private static long clock;
    private static Login ann;
    private static Login ben;
    private static Login cat;
    /** ann and ben */
    private static String shared;
    /** ann and ben too */
    private static String other;
    /** ben and cat: never ann's */
    private static String bens;
    /** ann and ben, end-to-end encrypted */
    private static String secret;

    @BeforeAll
    static void start() {
        fixture = RestApiFixture.start("SearchIT");
        client = fixture.client;
        rows = new ReadModelRows(fixture.database);
        ann = TestUsers.registerAndLogin(client, "ann");
        ben = TestUsers.registerAndLogin(client, "ben");
        cat = TestUsers.registerAndLogin(client, "cat");
        shared = TestConversations.group(client, ann, "shared", ben);
        other = TestConversations.group(client, ann, "other", ben);
        bens = TestConversations.group(client, ben, "bens", cat);
        secret = TestConversations.group(client, ann, "secret", ben);
        rows.update("UPDATE conversations SET encrypted = true WHERE conversation_id = ?", secret);
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    @Test
    void accentsAreFoldedBothWays() {
        String accented = message(shared, ben, "Rendez-vous au Café de la Gare à midi");
        String plain = message(shared, ann, "the cafe is closed on mondays");
        String creme = message(other, ben, "une crème brûlée");
        message(bens, ben, "café for cat only");

        assertEquals(List.of(plain, accented), ids(search(ann, "q=cafe")));
        assertEquals(List.of(plain, accented), ids(search(ann, "q=" + encode("CAFÉ"))));
        assertEquals(List.of(creme), ids(search(ann, "q=" + encode("creme brulee"))));
        assertEquals(List.of(creme), ids(search(ann, "q=" + encode("\"crème brûlée\""))));
    }

    @Test
    void theHighlightMarksTheMatchInPlainText() {
        message(shared, ben, "Il a dit «bonjour» puis <b>zanzibar</b> & co");
        String highlight = results(search(ann, "q=zanzibar")).get(0).get("highlight").asText();

        assertEquals("Il a dit ‹bonjour› puis <b>«zanzibar»</b> & co", highlight,
                "the body's own guillemets are not markers; nothing is escaped or left out");
    }

    @Test
    void textLikeMarkupIsSearchedAsText() {
        String id = message(other, ben, "if a<b and c>d then swap &amp; return");
        JsonNode found = results(search(ann, "q=" + encode("\"b and c\""))).get(0);

        assertEquals(id, found.get("message").get("messageId").asText(), "the words of a would-be tag are indexed");
        assertEquals("if a<«b» «and» «c»>d then swap &amp; return", found.get("highlight").asText());
    }

    @Test
    void theHighlightOfALongBodyIsAnExcerptAroundTheMatch() {
        StringBuilder body = new StringBuilder();
        for (int i = 1; i <= 200; i++) {
            body.append(i == 150 ? "quokka" : "word" + i).append(' ');
        }
        message(shared, ben, body.toString().strip());
        String highlight = results(search(ann, "q=quokka")).get(0).get("highlight").asText();

        assertTrue(highlight.contains("word149 «quokka» word151"), highlight);
        assertFalse(highlight.contains("word1 "), highlight);
        assertTrue(highlight.split(" ").length <= 30, "a few words, not the body: " + highlight);
    }

    @Test
    void theMessageIsTheOneHistoryServes() {
        String id = message(other, ben, "the tapir is in the message object");
        JsonNode found = results(search(ann, "q=tapir")).get(0).get("message");

        assertEquals(MESSAGE_FIELDS, fields(found));
        assertEquals(id, found.get("messageId").asText());
        Answer history = client.get("/v1/conversations/" + other + "/messages?before=" + (found.get("seq").asLong() + 1)
                + "&limit=1", ann.accessToken());
        assertEquals(200, history.status(), String.valueOf(history.body()));
        assertEquals(history.body().get("messages").get(0), found);
    }

    @Test
    void onlyTheCallersConversationsAreSearched() {
        String annAndBen = message(shared, ben, "marmalade for everyone");
        String benAndCat = message(bens, ben, "marmalade between us");

        assertEquals(List.of(annAndBen), ids(search(ann, "q=marmalade")));
        assertEquals(List.of(benAndCat), ids(search(cat, "q=marmalade")));
        assertEquals(List.of(benAndCat, annAndBen), ids(search(ben, "q=marmalade")));
        assertEquals(List.of(annAndBen), ids(search(ben, "q=marmalade&conversationId=" + shared)), "narrowed");
        assertNotFound(search(ann, "q=marmalade&conversationId=" + bens));
        assertNotFound(search(ann, "q=marmalade&conversationId=no-such-conversation"));
        assertNotFound(search(ann, "q=marmalade&conversationId=" + encode("nul\u0000id")));
    }

    @Test
    void aRemovedMemberFindsNothingMore() {
        Login dan = TestUsers.registerAndLogin(client, "dan");
        String left = TestConversations.group(client, ben, "left", dan);
        String id = message(left, ben, "pistachio ice cream");
        assertEquals(List.of(id), ids(search(dan, "q=pistachio")));
        assertEquals(List.of(id), ids(search(dan, "q=pistachio&conversationId=" + left)));

        assertEquals(204, client.delete("/v1/conversations/" + left + "/members/" + dan.userId(), ben.accessToken())
                .status());

        assertEquals(List.of(), ids(search(dan, "q=pistachio")));
        assertNotFound(search(dan, "q=pistachio&conversationId=" + left));
    }

    @Test
    void aDeletedMessageStopsMatchingAndItsVectorIsEmptied() {
        String kept = message(shared, ann, "zeppelin over the city");
        String deleted = message(shared, ben, "a zeppelin ride");
        assertEquals(List.of(deleted, kept), ids(search(ann, "q=zeppelin")));

        // as the delivery-service applies a delete
        rows.update("UPDATE messages SET body = '', deleted = true"
                + " WHERE message_id = ?", deleted);

        assertEquals(List.of(kept), ids(search(ann, "q=zeppelin")));
        assertEquals(List.of(kept), matchingInTheDatabase("zeppelin"),
                "the stored vector followed the UPDATE, not only the deleted flag");
    }

    @Test
    void anEditIsSearchedAsEdited() {
        String id = message(other, ben, "a walrus on the beach");
        assertEquals(List.of(id), ids(search(ann, "q=walrus")));

        // as the delivery-service applies an edit
        rows.update("UPDATE messages SET body = 'a narwhal on the beach', edited_at = ?"
                + " WHERE message_id = ?", START, id);

        assertEquals(List.of(), ids(search(ann, "q=walrus")));
        assertEquals(List.of(), matchingInTheDatabase("walrus"));
        JsonNode edited = results(search(ann, "q=narwhal")).get(0);
        assertEquals(id, edited.get("message").get("messageId").asText());
        assertEquals("a «narwhal» on the beach", edited.get("highlight").asText());
    }

    @Test
    void encryptedConversationsAreNeverSearched() {
        String plain = message(shared, ben, "platypus in the clear");
        // a plain row in an encrypted conversation must not leak either
        message(secret, ben, "platypus under wraps");
        rows.update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body,
                                      ts, encrypted, algorithm)
                VALUES (?, ?, 'm-sealed', 'c-sealed', ?, 'ben-phone', '', ?, true, 'p256-aesgcm-v1')""",
                secret, nextSeq(secret), ben.userId(), tick());
        rows.update("UPDATE conversations SET last_seq = ? WHERE conversation_id = ?", lastSeq.get(secret), secret);

        assertEquals(List.of(plain), ids(search(ann, "q=platypus")));
        assertEquals(List.of(), ids(search(ann, "q=platypus&conversationId=" + secret)));
    }

    @Test
    void resultsAreNewestFirstAndPagesNeitherRepeatNorSkip() {
        Instant same = tick();
        List<String[]> expected = new ArrayList<>(); // {ts, conversationId, seq, messageId}
        for (int i = 0; i < 7; i++) {
            String conversation = i % 2 == 0 ? shared : other;
            // messages 3 and 4 have the same ts: conversationId, then seq, decide
            Instant ts = i == 3 || i == 4 ? same : tick();
            long seq = nextSeq(conversation);
            String id = "m-" + conversation + "-" + seq;
            rows.message(conversation, seq, ben.userId(), "the lighthouse keeper " + i, ts);
            expected.add(new String[] {ts.toString(), conversation, String.format("%020d", seq), id});
        }
        expected.sort(Comparator.<String[], Instant>comparing(e -> Instant.parse(e[0]))
                .thenComparing(e -> e[1]).thenComparing(e -> e[2]).reversed());
        List<String> newestFirst = expected.stream().map(e -> e[3]).toList();

        List<String> paged = new ArrayList<>();
        String before = "";
        List<Integer> sizes = new ArrayList<>();
        do {
            Answer page = search(ann, "q=lighthouse&limit=3" + (before.isEmpty() ? "" : "&before=" + before));
            sizes.add(results(page).size());
            paged.addAll(ids(page));
            before = page.text("next") == null ? "" : page.text("next");
        } while (!before.isEmpty() && sizes.size() < 10);

        assertEquals(List.of(3, 3, 1), sizes);
        assertEquals(newestFirst, paged);
        assertEquals(newestFirst, ids(search(ann, "q=lighthouse&limit=50")));
        assertNull(search(ann, "q=lighthouse&limit=7").text("next"), "exactly a page: no next");
        assertNotNull(search(ann, "q=lighthouse&limit=6").text("next"));
        assertEquals(20, results(search(ann, "q=lighthouse")).size() + 13, "20 by default, 7 found");
    }

    @Test
    void pagesOfOneConversationStayInIt() {
        List<String> inOther = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            message(shared, ben, "origami crane " + i);
            inOther.addFirst(message(other, ben, "origami frog " + i));
        }
        Answer first = search(ann, "q=origami&limit=3&conversationId=" + other);
        Answer second = search(ann, "q=origami&limit=3&conversationId=" + other + "&before=" + first.text("next"));

        List<String> both = new ArrayList<>(ids(first));
        both.addAll(ids(second));
        assertEquals(inOther, both);
        assertNull(second.text("next"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                       | q is required",
            "q=                       | q must contain",
            "q=%20%20%09              | q must contain",
            "q=x&limit=0              | limit must be",
            "q=x&limit=51             | limit must be",
            "q=x&limit=ten            | limit must be",
            "q=x&before=!!!           | before must be",
            "q=x&before=eDoxOmM       | before must be",
            "q=x&before=MTotMTpj      | before must be"})
    void badInputIs400(String query, String detail) {
        Answer answer = search(ann, query);

        assertEquals(400, answer.status(), String.valueOf(answer.body()));
        assertEquals("bad_request", answer.text("code"));
        assertEquals("application/problem+json", answer.contentType());
        assertTrue(answer.text("detail").startsWith(detail), answer.text("detail"));
    }

    @Test
    void theWordsAreBounded() {
        assertEquals(200, search(ann, "q=" + "a".repeat(200)).status());
        Answer tooLong = search(ann, "q=" + "a".repeat(201));
        assertEquals(400, tooLong.status());
        assertEquals("q must be at most 200 characters", tooLong.text("detail"));
    }

    @Test
    void unauthenticatedSearchesAre401() {
        assertEquals(401, client.get("/v1/search/messages?q=x", null).status());
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"unclosed", "-", "or or", "!!!", "a & b | c", "(", "'", "\\", ":*", "<->", "!(x)",
            "\"\" \"\"", "- - -", "or", "-or", "x:*B", "&&&|||"})
    void querySyntaxInTheWordsNeverFails(String q) {
        Answer answer = search(ann, "q=" + encode(q));
        assertEquals(200, answer.status(), q + ": " + answer.body());
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "-", "- - -", "-hedgehog", "-hedgehog or -other", "«»", "&&&|||"})
    void wordsThatRequireNothingFindNothing(String q) {
        message(shared, ben, "a hedgehog and nothing else");
        Answer answer = search(ann, "q=" + encode(q));
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        assertEquals(List.of(), ids(answer), q);
    }

    @Test
    void quotesArePhrasesAndAMinusExcludes() {
        String quoted = message(other, ben, "an unclosed quote here");
        String reversed = message(other, ben, "here quote unclosed");

        assertEquals(List.of(quoted), ids(search(ann, "q=" + encode("\"unclosed quote"))));
        assertEquals(List.of(reversed, quoted), ids(search(ann, "q=" + encode("unclosed quote"))));
        assertEquals(List.of(reversed), ids(search(ann, "q=" + encode("unclosed -an"))));
        assertEquals(List.of(reversed, quoted), ids(search(ann, "q=" + encode("unclosed or nowhere"))));
    }

    /**
     * A rare word is found through the GIN index rather than by reading every message of the caller's conversations
     * (or all messages): ann is in 20 more conversations of 1,500 messages each, of eight words drawn from 2,000 with
     * a skew like a language's, and the statement explained is the one the endpoint runs.
     */
    @Test
    void aRareWordIsFoundThroughTheIndex() {
        rows.update("""
                INSERT INTO conversations (conversation_id, type, title, version, created_at, last_activity_at,
                                           last_seq)
                SELECT 'bulk-' || i, 'group', 'bulk', 1, ?, ?, 1500 FROM generate_series(1, 20) i""", START, START);
        rows.update("""
                INSERT INTO conversation_members (conversation_id, user_id, role, joined_at)
                SELECT 'bulk-' || i, ?, 'member', ? FROM generate_series(1, 20) i""", ann.userId(), START);
        rows.update("""
                INSERT INTO messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body,
                                      ts)
                SELECT 'bulk-' || (1 + s % 20), 1 + s / 20, 'm-bulk-' || s, 'c-' || s, ?, 'device',
                       (SELECT string_agg('w' || floor(exp(abs(hashint4(s * 16 + g)) % 100000 / 100000.0
                                                           * ln(2000)))::int, ' ')
                        FROM generate_series(1, 8) g),
                       ? + s * interval '1 ms'
                FROM generate_series(0, 29999) s""", ben.userId(), START);
        lastSeq.put("bulk-1", 1500L);
        String id = message("bulk-1", ben, "a xylophone");
        rows.update("ANALYZE");

        String plan = fixture.database.withConnection(connection -> {
            try (PreparedStatement explain = SearchStore.prepare(connection, "EXPLAIN ", ann.userId(),
                    SearchQuery.of("xylophone", null, 20, null));
                 ResultSet lines = explain.executeQuery()) {
                StringBuilder text = new StringBuilder();
                while (lines.next()) {
                    text.append(lines.getString(1)).append('\n');
                }
                return text.toString();
            }
        });
        assertTrue(plan.contains("Bitmap Index Scan on messages_body_search"), plan);
        assertEquals(List.of(id), ids(search(ann, "q=xylophone")));
    }

    private static Answer search(Login who, String query) {
        return client.get("/v1/search/messages" + (query.isEmpty() ? "" : "?" + query), who.accessToken());
    }

    private static List<JsonNode> results(Answer answer) {
        assertEquals(200, answer.status(), String.valueOf(answer.body()));
        List<JsonNode> results = new ArrayList<>();
        answer.body().get("results").forEach(results::add);
        return results;
    }

    private static List<String> ids(Answer answer) {
        return results(answer).stream().map(result -> result.get("message").get("messageId").asText()).toList();
    }

    /** The message ids whose stored vector matches {@code word}, whatever their flags. */
    private static List<String> matchingInTheDatabase(String word) {
        return fixture.database.withConnection(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(
                    "SELECT message_id FROM messages WHERE body_search @@ to_tsquery('kchat_search', ?)")) {
                statement.setString(1, word);
                List<String> ids = new ArrayList<>();
                try (ResultSet found = statement.executeQuery()) {
                    while (found.next()) {
                        ids.add(found.getString(1));
                    }
                }
                return ids;
            }
        });
    }

    private static void assertNotFound(Answer answer) {
        assertEquals(404, answer.status(), String.valueOf(answer.body()));
        assertEquals("not_found", answer.text("code"));
    }

    /** Archives a message one tick after the previous one; its messageId. */
    private static String message(String conversationId, Login sender, String body) {
        long seq = nextSeq(conversationId);
        rows.message(conversationId, seq, sender.userId(), body, tick());
        return "m-" + conversationId + "-" + seq;
    }

    private static long nextSeq(String conversationId) {
        return lastSeq.merge(conversationId, 1L, Long::sum);
    }

    /** A later ts each time, a millisecond apart, so that newest first is the order of writing. */
    private static synchronized Instant tick() {
        return START.plusMillis(++clock);
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static Set<String> fields(JsonNode message) {
        Set<String> names = new TreeSet<>();
        message.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
