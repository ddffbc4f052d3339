package io.kchat.gateway.search;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.gateway.http.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a search may ask, and the cursor between its pages, without a database. */
class SearchQueryTest {

    @Test
    void theWordsAreTrimmedAndControlsAreSpaces() {
        SearchQuery query = SearchQuery.of(" \tcafé\u0000crème\n ", "", 20, "");
        assertEquals("café crème", query.text());
        assertNull(query.conversationId(), "an empty conversationId is no narrowing");
        assertNull(query.before(), "an empty before is the first page");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t\n", "\u0000", "\u2003\u3000"})
    void blankWordsAreRefused(String q) {
        ApiException refusal = refused(() -> SearchQuery.of(q, null, 20, null));
        assertEquals(400, refusal.status());
        assertEquals("invalid q", refusal.title());
    }

    @Test
    void missingWordsAreRefused() {
        assertEquals("q is required", refused(() -> SearchQuery.of(null, null, 20, null)).detail());
    }

    @Test
    void theWordsAreBoundedInCodePoints() {
        String emoji = "\uD83D\uDE00"; // two chars, one code point
        assertEquals(200, SearchQuery.of(emoji.repeat(200), null, 20, null).text().codePointCount(0, 400));
        assertEquals(400, refused(() -> SearchQuery.of(emoji.repeat(201), null, 20, null)).status());
        assertEquals(400, refused(() -> SearchQuery.of("a".repeat(201), null, 20, null)).status());
        assertEquals(200, SearchQuery.of(" " + "a".repeat(200) + " ", null, 20, null).text().length(),
                "counted once trimmed");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, 51, Integer.MAX_VALUE})
    void limitsOutsideOneToFiftyAreRefused(int limit) {
        ApiException refusal = refused(() -> SearchQuery.of("word", null, limit, null));
        assertEquals(400, refusal.status());
        assertEquals("invalid limit", refusal.title());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 20, 50})
    void limitsWithinAreKept(int limit) {
        assertEquals(limit, SearchQuery.of("word", null, limit, null).limit());
    }

    @Test
    void aCursorReadsBackWhatItWrote() {
        SearchCursor cursor = new SearchCursor(Instant.parse("2026-03-14T09:26:53.589123Z"), "conv:with:colons", 42);
        assertEquals(cursor, SearchCursor.parse(cursor.token()));
        assertEquals(cursor, SearchQuery.of("word", null, 20, cursor.token()).before());
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!!", "not base64 at all", "MTIz", "eDox", "eDoxOmM", "MTox", "LTE6MTpj", "MToxOg",
            "MTotMTpj", "OTk5OTk5OTk5OTk5OTk5OTk5OjE6Yw", "MToxOmMAZA", "_w"})
    void cursorsItDidNotWriteAreRefused(String token) {
        // "123", "x:1", "x:1:c", "1:1", "-1:1:c", "1:1:" (no conversation), "1:-1:c", micros past the year 9999,
        // a NUL in the conversation id, 0xff (not UTF-8)
        ApiException refusal = refused(() -> SearchQuery.of("word", null, 20, token));
        assertEquals(400, refusal.status());
        assertEquals("invalid before", refusal.title());
    }

    @Test
    void tooLongACursorIsRefusedUndecoded() {
        String token = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1:1:" + "c".repeat(300)).getBytes(StandardCharsets.UTF_8));
        assertEquals(400, refused(() -> SearchQuery.of("word", null, 20, token)).status());
    }
}
