package io.kchat.gateway.search;

import io.kchat.gateway.db.Timestamps;
import io.kchat.gateway.messages.MessageView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGStatement;

/**
 * Full-text search of the message archive (V8: {@code messages.body_search}, the {@code kchat_search} configuration
 * and its GIN index), scoped in the same statement to the conversations the caller is a member of now, neither
 * encrypted nor deleted, and below each conversation's watermark as history is.
 *
 * <p>The words are read by {@code websearch_to_tsquery}, which never fails on what a person types: quotes make a
 * phrase (an unclosed one runs to the end), {@code -word} excludes, {@code or} offers alternatives, any other
 * punctuation separates words. A query that requires no word at all (nothing but punctuation, or only exclusions)
 * finds nothing rather than every message.
 */
final class SearchStore {

    static final String MATCH_START = "«";
    static final String MATCH_END = "»";
    private static final String HEADLINE_OPTIONS = "StartSel=" + MATCH_START + ", StopSel=" + MATCH_END
            + ", MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=2, FragmentDelimiter=\" … \"";
    private static final String QUERY = "websearch_to_tsquery('kchat_search', ?)";
    /**
     * The excerpt, plain text: the body's own guillemets become ‹ › so that every « » is a marker, and a zero-width
     * space after each {@code <} and {@code &} (taken out again after) keeps the parser from reading tags and
     * entities, which ts_headline would leave out of the excerpt.
     */
    private static final String HIGHLIGHT = """
            replace(replace(
                      ts_headline('kchat_search',
                                  replace(replace(replace(replace(h.body, '«', '‹'), '»', '›'),
                                                  '<', U&'<\\200B'), '&', U&'&\\200B'),
                                  %s,
                                  '%s'),
                      U&'<\\200B', '<'), U&'&\\200B', '&')""".formatted(QUERY, HEADLINE_OPTIONS);
    private static final String ORDER = "ORDER BY %1$s.ts DESC, %1$s.conversation_id DESC, %1$s.seq DESC";

    /**
     * The statement for {@code query}; its text depends only on which of the optional bounds are present, so there
     * are four, whatever the values.
     *
     * <p>The highlight is computed for the page only, outside the inner LIMIT. The GIN index serves a rare word; for a
     * common one the planner rather walks the caller's conversations by primary key (docs/performance.md, "Message
     * search"). Which is cheaper depends on the words, so each search is planned with its own values
     * ({@link #prepare}).
     */
    static String sql(SearchQuery query) {
        return """
                SELECT h.conversation_id, h.seq, h.message_id, h.client_id, h.sender_id, h.body, h.ts, h.reply_to,
                       h.edited_at, h.failed, %2$s AS highlight
                FROM (SELECT m.conversation_id, m.seq, m.message_id, m.client_id, m.sender_id, m.body, m.ts,
                             m.reply_to, m.edited_at, m.failed
                      FROM messages m
                      JOIN conversation_members cm ON cm.conversation_id = m.conversation_id AND cm.user_id = ?
                      JOIN conversations c ON c.conversation_id = m.conversation_id
                      WHERE m.body_search @@ %1$s
                        AND querytree(%1$s) NOT IN ('', 'T')
                        AND NOT m.deleted AND NOT m.encrypted AND NOT c.encrypted AND m.seq <= c.last_seq%3$s%4$s
                      %5$s
                      LIMIT ?) h
                %6$s""".formatted(QUERY, HIGHLIGHT,
                query.conversationId() == null ? "" : "\n        AND m.conversation_id = ?",
                query.before() == null ? "" : "\n        AND (m.ts, m.conversation_id, m.seq) < (?, ?, ?)",
                ORDER.formatted("m"), ORDER.formatted("h"));
    }

    /**
     * {@link #sql} with its parameters bound, fetching one result more than the page so that the caller knows whether
     * there is a next page.
     *
     * @param sqlPrefix put before the statement: "" to search, "EXPLAIN " to see how it would be run
     */
    static PreparedStatement prepare(Connection connection, String sqlPrefix, String userId, SearchQuery query)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sqlPrefix + sql(query));
        try {
            // Never a server-side prepared statement, whose generic plan would ignore how common the words are.
            statement.unwrap(PGStatement.class).setPrepareThreshold(0);
            int i = 0;
            statement.setString(++i, query.text());
            statement.setString(++i, userId);
            statement.setString(++i, query.text());
            statement.setString(++i, query.text());
            if (query.conversationId() != null) {
                statement.setString(++i, query.conversationId());
            }
            if (query.before() != null) {
                Timestamps.set(statement, ++i, query.before().ts());
                statement.setString(++i, query.before().conversationId());
                statement.setLong(++i, query.before().seq());
            }
            statement.setInt(++i, query.limit() + 1);
            return statement;
        } catch (SQLException | RuntimeException e) {
            statement.close();
            throw e;
        }
    }

    /** @return up to {@code query.limit() + 1} results, newest first */
    List<SearchHit> search(Connection connection, String userId, SearchQuery query) throws SQLException {
        try (PreparedStatement statement = prepare(connection, "", userId, query);
             ResultSet rows = statement.executeQuery()) {
            List<SearchHit> hits = new ArrayList<>(query.limit() + 1);
            while (rows.next()) {
                // never deleted nor encrypted (the query excludes both); reactions are history's, not search's
                hits.add(new SearchHit(new MessageView(rows.getString("conversation_id"), rows.getLong("seq"),
                        rows.getString("message_id"), rows.getString("client_id"), rows.getString("sender_id"),
                        rows.getString("body"), Timestamps.get(rows, "ts"), null, null,
                        rows.getObject("reply_to", Long.class), Timestamps.get(rows, "edited_at"), null, null)
                        .withFailed(rows.getBoolean("failed")),
                        rows.getString("highlight")));
            }
            return hits;
        }
    }
}
