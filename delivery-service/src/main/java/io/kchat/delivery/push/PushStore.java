package io.kchat.delivery.push;

import io.kchat.delivery.db.Timestamps;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The push sender's reads and writes in PostgreSQL (V10), each its own short statement: subscriptions, mutes, the
 * claims of push_deliveries, what a payload says, and the removal of subscriptions a push service refused for good.
 */
final class PushStore {

    /** What claiming a push found. */
    enum Claim {
        /** Nobody tried it yet: send. */
        NEW,
        /** A claim left 'sending' (a crash or a stop mid-push): send again, the Topic header collapses a twin. */
        RESEND,
        /** Sent, failed or skipped already: nothing to do. */
        DONE
    }

    /** A VAPID key pair as stored: PKCS#8 private key, uncompressed public point. */
    record VapidKey(String keyId, byte[] privateKey, byte[] publicKey) {
    }

    /** The member's view of the conversation, as the conversation list shows it. */
    record ConversationState(boolean encrypted, long lastSeq, long unread) {
    }

    /** The archived message a preview is made of. */
    record ArchivedMessage(String senderName, String body, boolean encrypted, boolean deleted) {
    }

    private final DataSource database;

    PushStore(DataSource database) {
        this.database = database;
    }

    List<Subscription> subscriptions(String userId, Collection<String> deviceIds) throws SQLException {
        if (deviceIds.isEmpty()) {
            return List.of();
        }
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT device_id, kind, endpoint, p256dh, auth, vapid_key_id, push_key, app_id, previews
                     FROM push_subscriptions WHERE user_id = ? AND device_id = ANY (?)""")) {
            Array devices = connection.createArrayOf("text", deviceIds.toArray());
            statement.setString(1, userId);
            statement.setArray(2, devices);
            List<Subscription> found = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    found.add(new Subscription(userId, rows.getString("device_id"),
                            Subscription.Kind.valueOf(rows.getString("kind").toUpperCase(Locale.ROOT)),
                            rows.getString("endpoint"), rows.getBytes("p256dh"), rows.getBytes("auth"),
                            rows.getString("vapid_key_id"), rows.getString("push_key"), rows.getString("app_id"),
                            rows.getBoolean("previews")));
                }
            }
            return found;
        }
    }

    /** Muted now: muted without an end, or until a moment still ahead. */
    boolean muted(String userId, String conversationId, Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT 1 FROM conversation_settings
                     WHERE conversation_id = ? AND user_id = ? AND muted
                       AND (muted_until IS NULL OR muted_until > ?)""")) {
            statement.setString(1, conversationId);
            statement.setString(2, userId);
            statement.setObject(3, Timestamps.utc(now));
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Claims the push by writing 'sending', or reports what an earlier attempt left. */
    Claim claim(DeliveryKey key, Instant now) throws SQLException {
        try (Connection connection = database.getConnection()) {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO push_deliveries (user_id, device_id, conversation_id, seq, state, attempts, claimed_at)
                    VALUES (?, ?, ?, ?, 'sending', 0, ?) ON CONFLICT DO NOTHING""")) {
                bindKey(insert, key);
                insert.setObject(5, Timestamps.utc(now));
                if (insert.executeUpdate() == 1) {
                    return Claim.NEW;
                }
            }
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT state FROM push_deliveries
                    WHERE user_id = ? AND device_id = ? AND conversation_id = ? AND seq = ?""")) {
                bindKey(select, key);
                try (ResultSet rows = select.executeQuery()) {
                    // deleted by the janitor in between: so old that it is no news any more
                    return rows.next() && rows.getString(1).equals("sending") ? Claim.RESEND : Claim.DONE;
                }
            }
        }
    }

    /** Records a push not attempted at all ({@code muted}); an existing row is left as it is. Whether it was new. */
    boolean skip(DeliveryKey key, String reason, Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     INSERT INTO push_deliveries
                       (user_id, device_id, conversation_id, seq, state, reason, attempts, claimed_at, finished_at)
                     VALUES (?, ?, ?, ?, 'skipped', ?, 0, ?, ?) ON CONFLICT DO NOTHING""")) {
            bindKey(statement, key);
            statement.setString(5, reason);
            statement.setObject(6, Timestamps.utc(now));
            statement.setObject(7, Timestamps.utc(now));
            return statement.executeUpdate() == 1;
        }
    }

    /** Records how a claimed push ended: {@code sent}, {@code failed} or {@code skipped}, with why. */
    void finish(DeliveryKey key, String state, String reason, int attempts, Instant now) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     UPDATE push_deliveries SET state = ?, reason = ?, attempts = ?, finished_at = ?
                     WHERE user_id = ? AND device_id = ? AND conversation_id = ? AND seq = ?""")) {
            statement.setString(1, state);
            statement.setString(2, reason);
            statement.setInt(3, attempts);
            statement.setObject(4, Timestamps.utc(now));
            statement.setString(5, key.userId());
            statement.setString(6, key.deviceId());
            statement.setString(7, key.conversationId());
            statement.setLong(8, key.seq());
            statement.executeUpdate();
        }
    }

    /**
     * Removes the subscription the push service refused for good, unless the device replaced it meanwhile (a new
     * endpoint or push key is a new subscription, to be tried on its own).
     *
     * @return whether a row was removed
     */
    boolean removeSubscription(Subscription subscription) throws SQLException {
        boolean webPush = subscription.kind() == Subscription.Kind.WEBPUSH;
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(webPush
                     ? "DELETE FROM push_subscriptions WHERE user_id = ? AND device_id = ? AND endpoint = ?"
                     : "DELETE FROM push_subscriptions WHERE user_id = ? AND device_id = ? AND push_key = ?")) {
            statement.setString(1, subscription.userId());
            statement.setString(2, subscription.deviceId());
            statement.setString(3, webPush ? subscription.endpoint() : subscription.pushKey());
            return statement.executeUpdate() > 0;
        }
    }

    /**
     * The member's state as the gateway's conversation list computes it: others' archived messages above the read
     * cursor up to the archive watermark. Empty when the user is no member (any more).
     */
    Optional<ConversationState> conversationState(String userId, String conversationId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT c.encrypted, c.last_seq,
                       (SELECT count(*) FROM messages u
                         WHERE u.conversation_id = c.conversation_id AND u.seq > m.read_seq AND u.seq <= c.last_seq
                           AND u.sender_id <> m.user_id) AS unread
                     FROM conversation_members m JOIN conversations c ON c.conversation_id = m.conversation_id
                     WHERE m.user_id = ? AND m.conversation_id = ?""")) {
            statement.setString(1, userId);
            statement.setString(2, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new ConversationState(rows.getBoolean("encrypted"),
                        rows.getLong("last_seq"), rows.getLong("unread"))) : Optional.empty();
            }
        }
    }

    /** The archived message with its sender's display name, if the archive has it yet. */
    Optional<ArchivedMessage> message(String conversationId, long seq) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement("""
                     SELECT u.display_name, m.body, m.encrypted, m.deleted
                     FROM messages m LEFT JOIN users u ON u.user_id = m.sender_id
                     WHERE m.conversation_id = ? AND m.seq = ?""")) {
            statement.setString(1, conversationId);
            statement.setLong(2, seq);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new ArchivedMessage(rows.getString(1), rows.getString(2),
                        rows.getBoolean(3), rows.getBoolean(4))) : Optional.empty();
            }
        }
    }

    Optional<VapidKey> vapidKey(String keyId) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "SELECT private_key, public_key FROM vapid_keys WHERE key_id = ?")) {
            statement.setString(1, keyId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? Optional.of(new VapidKey(keyId, rows.getBytes(1), rows.getBytes(2)))
                        : Optional.empty();
            }
        }
    }

    /** Deletes the records claimed before {@code before}; returns how many. */
    int deleteDeliveriesBefore(Instant before) throws SQLException {
        try (Connection connection = database.getConnection();
             PreparedStatement statement = connection.prepareStatement(
                     "DELETE FROM push_deliveries WHERE claimed_at < ?")) {
            statement.setObject(1, Timestamps.utc(before));
            return statement.executeUpdate();
        }
    }

    private static void bindKey(PreparedStatement statement, DeliveryKey key) throws SQLException {
        statement.setString(1, key.userId());
        statement.setString(2, key.deviceId());
        statement.setString(3, key.conversationId());
        statement.setLong(4, key.seq());
    }
}
