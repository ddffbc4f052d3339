package io.kchat.bench;

import java.io.IOException;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.postgresql.PGConnection;

/**
 * The search bench's archive, written straight into the stack's PostgreSQL as the delivery-service would have
 * projected it: groups owned by one user, the searching user a member of every {@code memberEvery}-th, and messages
 * from {@link SearchCorpus} spread at random over the groups, a year of them in time order (so that seq and ts rise
 * together in each conversation), loaded with COPY. Then VACUUM ANALYZE, as autovacuum would have done by the time
 * anyone searches: the planner has statistics and the GIN index no pending list.
 */
final class SearchArchive implements AutoCloseable {

    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SPAN = Duration.ofDays(365);
    private static final int COPY_BATCH = 10_000;

    private final Connection connection;
    private final List<String> conversations = new ArrayList<>();
    private final List<String> searchable = new ArrayList<>();
    private final Map<String, Integer> documentCounts = new HashMap<>();
    private final Map<String, Integer> visibleDocumentCounts = new HashMap<>();

    private SearchArchive(Connection connection) {
        this.connection = connection;
    }

    static SearchArchive connect(String jdbcUrl, String user, String password) throws SQLException {
        return new SearchArchive(DriverManager.getConnection(jdbcUrl, user, password));
    }

    /** The searching user's conversations, in the order they were created. */
    List<String> searchable() {
        return searchable;
    }

    /**
     * How many messages contain {@code word} as one of their words (all conversations, the searcher's), counted as
     * the corpus wrote them: accents as written, no phrases.
     */
    int[] documents(String word) {
        return new int[] {documentCounts.getOrDefault(word, 0), visibleDocumentCounts.getOrDefault(word, 0)};
    }

    void load(String prefix, String ownerId, String searcherId, int conversationCount, int memberEvery,
              int messageCount, SearchCorpus corpus, long seed) throws SQLException {
        connection.setAutoCommit(false);
        for (int i = 0; i < conversationCount; i++) {
            String id = prefix + "-" + i;
            conversations.add(id);
            if (i % memberEvery == 0) {
                searchable.add(id);
            }
        }
        Set<String> visible = new HashSet<>(searchable);
        long[] lastSeq = new long[conversationCount];
        SplittableRandom spread = new SplittableRandom(seed + 2);
        StringBuilder copy = new StringBuilder();
        for (int i = 0; i < messageCount; i++) {
            int conversation = spread.nextInt(conversationCount);
            long seq = ++lastSeq[conversation];
            String body = corpus.nextMessage();
            count(body, visible.contains(conversations.get(conversation)));
            Instant ts = START.plus(SPAN.multipliedBy(i).dividedBy(messageCount));
            copy.append(conversations.get(conversation)).append('\t').append(seq).append('\t')
                    .append(prefix).append("-m").append(i).append('\t').append(prefix).append("-c").append(i).append('\t')
                    .append(i % 2 == 0 ? ownerId : searcherId).append("\tbench\t").append(body).append('\t')
                    .append(OffsetDateTime.ofInstant(ts, ZoneOffset.UTC)).append('\n');
            if ((i + 1) % COPY_BATCH == 0 || i + 1 == messageCount) {
                copyMessages(copy.toString());
                copy.setLength(0);
            }
        }
        insertConversations(ownerId, searcherId, lastSeq, memberEvery);
        connection.commit();
        connection.setAutoCommit(true);
        try (Statement statement = connection.createStatement()) {
            statement.execute("VACUUM ANALYZE messages");
            statement.execute("ANALYZE conversations");
            statement.execute("ANALYZE conversation_members");
        }
    }

    /** {@code [messages, its GIN index]} in bytes. */
    long[] sizes() throws SQLException {
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT pg_table_size('messages'),"
                     + " pg_relation_size('messages_body_search')")) {
            rows.next();
            return new long[] {rows.getLong(1), rows.getLong(2)};
        }
    }

    /** Messages matching {@code q} as the endpoint reads it, in all conversations and in the searcher's. */
    long[] matches(String q, String searcherId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT count(*), count(*) FILTER (WHERE EXISTS (SELECT 1 FROM conversation_members cm
                        WHERE cm.conversation_id = m.conversation_id AND cm.user_id = ?))
                FROM messages m WHERE m.body_search @@ websearch_to_tsquery('kchat_search', ?)""")) {
            statement.setString(1, searcherId);
            statement.setString(2, q);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return new long[] {rows.getLong(1), rows.getLong(2)};
            }
        }
    }

    private void count(String body, boolean visible) {
        for (String word : new HashSet<>(List.of(body.split(" ")))) {
            documentCounts.merge(word, 1, Integer::sum);
            if (visible) {
                visibleDocumentCounts.merge(word, 1, Integer::sum);
            }
        }
    }

    private void copyMessages(String rows) throws SQLException {
        try {
            connection.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                    COPY messages (conversation_id, seq, message_id, client_id, sender_id, sender_device_id, body, ts)
                    FROM STDIN""", new StringReader(rows));
        } catch (IOException e) {
            throw new SQLException("COPY failed", e);
        }
    }

    private void insertConversations(String ownerId, String searcherId, long[] lastSeq, int memberEvery)
            throws SQLException {
        try (PreparedStatement conversation = connection.prepareStatement("""
                INSERT INTO conversations (conversation_id, type, title, version, created_at, last_activity_at, last_seq)
                VALUES (?, 'group', ?, 1, ?, ?, ?)""");
             PreparedStatement member = connection.prepareStatement("""
                INSERT INTO conversation_members (conversation_id, user_id, role, joined_at) VALUES (?, ?, ?, ?)""")) {
            OffsetDateTime start = OffsetDateTime.ofInstant(START, ZoneOffset.UTC);
            OffsetDateTime end = OffsetDateTime.ofInstant(START.plus(SPAN), ZoneOffset.UTC);
            for (int i = 0; i < conversations.size(); i++) {
                String id = conversations.get(i);
                conversation.setString(1, id);
                conversation.setString(2, "search bench " + i);
                conversation.setObject(3, start);
                conversation.setObject(4, end);
                conversation.setLong(5, lastSeq[i]);
                conversation.addBatch();
                addMember(member, id, ownerId, "owner", start);
                if (i % memberEvery == 0) {
                    addMember(member, id, searcherId, "member", start);
                }
            }
            conversation.executeBatch();
            member.executeBatch();
        }
    }

    private static void addMember(PreparedStatement member, String conversationId, String userId, String role,
                                  OffsetDateTime joined) throws SQLException {
        member.setString(1, conversationId);
        member.setString(2, userId);
        member.setString(3, role);
        member.setObject(4, joined);
        member.addBatch();
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
