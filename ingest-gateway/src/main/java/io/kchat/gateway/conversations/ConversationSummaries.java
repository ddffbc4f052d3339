package io.kchat.gateway.conversations;

import io.kchat.gateway.messages.MessageDetails;
import io.kchat.gateway.messages.MessageRows;
import io.kchat.gateway.messages.MessageView;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Conversations as one member's device sees them: the rows with the read state the delivery-service projects into
 * them (V2: {@code conversations.last_seq}, {@code conversation_members.read_seq}, {@code messages}), an
 * encrypted last message with that device's envelope (V6: {@code message_envelopes}), the last message's current
 * state and reactions (V7), and the member's own settings (V10: {@code conversation_settings}) as they read at
 * {@code now}.
 */
final class ConversationSummaries {

    /**
     * A member's conversations with their read state ({@code m} is the member's row). Messages count and show
     * only up to the archive watermark {@code last_seq}, below which the archive has no holes; unread counts
     * others' messages only (sending moves one's own read_seq anyway). The envelope is a primary-key lookup per
     * conversation, and only for an encrypted last message; its device is the first parameter.
     */
    private static final String SUMMARIES = "SELECT " + ConversationStore.COLUMNS + """
            , c.last_seq, m.read_seq,
              (SELECT count(*) FROM messages u
                WHERE u.conversation_id = c.conversation_id AND u.seq > m.read_seq AND u.seq <= c.last_seq
                  AND u.sender_id <> m.user_id) AS unread,
            """ + MessageRows.columns("l", "last_") + """
            , le.ciphertext AS last_ciphertext
            """ + ConversationSettingsStore.SUMMARY_COLUMNS + """
            FROM conversation_members m
            JOIN conversations c ON c.conversation_id = m.conversation_id
            LEFT JOIN messages l ON l.conversation_id = c.conversation_id AND l.seq = c.last_seq
            LEFT JOIN message_envelopes le ON l.encrypted AND le.conversation_id = l.conversation_id AND le.seq = l.seq
                 AND le.user_id = m.user_id AND le.device_id = ?
            LEFT JOIN conversation_settings s ON s.conversation_id = m.conversation_id AND s.user_id = m.user_id
            """;

    /** The conversation with the caller's read state if {@code userId} is a member: others cannot tell it exists. */
    Optional<ConversationSummary> findForMember(Connection connection, String conversationId, String userId,
                                                String deviceId, Instant now) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SUMMARIES + """
                WHERE m.user_id = ? AND c.conversation_id = ?""")) {
            statement.setString(1, deviceId);
            statement.setString(2, userId);
            statement.setString(3, conversationId);
            return summaries(connection, statement, userId, now).stream().findFirst();
        }
    }

    /**
     * The user's conversations with their read state, pinned ones first, then most recent activity first (the
     * conversation id breaks ties, so the order is total), in a few queries whatever their number: one for the
     * conversations, their read state, settings and last message, one for all their members, one for reactions.
     */
    List<ConversationSummary> listForMember(Connection connection, String userId, String deviceId, Instant now)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(SUMMARIES + """
                WHERE m.user_id = ?
                ORDER BY COALESCE(s.pinned, false) DESC, c.last_activity_at DESC, c.conversation_id""")) {
            statement.setString(1, deviceId);
            statement.setString(2, userId);
            return summaries(connection, statement, userId, now);
        }
    }

    /** With the reactions of all the last messages in one more query, as {@code userId} sees them. */
    private static List<ConversationSummary> summaries(Connection connection, PreparedStatement statement,
                                                       String userId, Instant now) throws SQLException {
        List<Conversation> conversations = new ArrayList<>();
        List<ReadState> states = new ArrayList<>();
        List<ConversationSettings> settings = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                conversations.add(ConversationStore.conversation(rows));
                states.add(readState(rows));
                settings.add(ConversationSettingsStore.summaryColumns(rows).orElse(ConversationSettings.DEFAULT)
                        .asOf(now));
            }
        }
        List<Conversation> complete = ConversationStore.withMembers(connection, conversations);
        List<ReadState> withReactions = withReactions(connection, userId, states);
        List<ConversationSummary> summaries = new ArrayList<>(complete.size());
        for (int i = 0; i < complete.size(); i++) {
            summaries.add(new ConversationSummary(complete.get(i), withReactions.get(i), settings.get(i)));
        }
        return summaries;
    }

    private static List<ReadState> withReactions(Connection connection, String userId, List<ReadState> states)
            throws SQLException {
        List<MessageView> lastMessages = states.stream().map(ReadState::lastMessage).filter(Objects::nonNull).toList();
        Iterator<MessageView> attached = MessageDetails.attach(connection, userId, lastMessages).iterator();
        return states.stream().map(state -> state.lastMessage() == null ? state : new ReadState(state.lastSeq(),
                state.readSeq(), state.unread(), attached.next())).toList();
    }

    private static ReadState readState(ResultSet rows) throws SQLException {
        MessageView last = rows.getString("last_message_id") == null ? null
                : MessageRows.view(rows, "last_", rows.getString("conversation_id"), rows.getLong("last_seq"));
        return new ReadState(rows.getLong("last_seq"), rows.getLong("read_seq"), rows.getLong("unread"), last);
    }
}
