package io.kchat.gateway.search;

import io.kchat.gateway.errors.Refusal;

/**
 * One search as asked (docs/api.md): the words, optionally one conversation, a page size and where the previous page
 * stopped.
 *
 * @param text           the words, with control characters turned to spaces and trimmed: never empty
 * @param conversationId the one conversation to search, or null for all of the caller's
 * @param before         the previous page's {@code next}, or null for the first page
 */
public record SearchQuery(String text, String conversationId, int limit, SearchCursor before) {

    public static final int DEFAULT_LIMIT = 20;
    public static final int MAX_LIMIT = 50;
    /** Code points. A query is a few words; this bounds the work of parsing it, not what anyone types. */
    public static final int MAX_TEXT_CHARS = 200;

    /**
     * @param q              the {@code q} parameter as received, or null
     * @param conversationId the {@code conversationId} parameter, or null or empty for every conversation
     * @param before         the {@code before} parameter, or null or empty for the first page
     * @throws Refusal 400 for a missing, blank or too long {@code q}, a limit outside 1..{@value #MAX_LIMIT} or a
     *                 cursor this gateway did not write
     */
    public static SearchQuery of(String q, String conversationId, int limit, String before) {
        if (q == null) {
            throw Refusal.invalid("invalid q", "q is required");
        }
        // Controls separate words as spaces do; NUL could not even reach PostgreSQL.
        String text = q.codePoints().map(c -> Character.isISOControl(c) ? ' ' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString().strip();
        if (text.isEmpty()) {
            throw Refusal.invalid("invalid q", "q must contain something to search for");
        }
        if (text.codePointCount(0, text.length()) > MAX_TEXT_CHARS) {
            throw Refusal.invalid("invalid q", "q must be at most " + MAX_TEXT_CHARS + " characters");
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.invalid("invalid limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        return new SearchQuery(text, conversationId == null || conversationId.isEmpty() ? null : conversationId,
                limit, before == null || before.isEmpty() ? null : SearchCursor.parse(before));
    }
}
