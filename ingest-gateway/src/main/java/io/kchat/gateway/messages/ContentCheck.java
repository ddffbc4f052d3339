package io.kchat.gateway.messages;

import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What a send may carry, checked before it is published, on both send paths: a body in a plain conversation, a
 * ciphertext in an end-to-end encrypted one, with one envelope for every device of every member that has published
 * keys (the sending device's own is optional) and none for anyone else. Refusing here keeps a mistaken plaintext out
 * of Kafka altogether; the conversation side checks the kind again in order with the conversation (D1).
 *
 * <p>Devices are read at send time, so a client learns of a new device when it sends: like Signal's 409, the refusal
 * names the devices left out and those that are not (or no longer) recipients, and the client fetches keys again and
 * resends with the same id. A device that has published no keys cannot read an encrypted conversation and is not
 * required, nor is a member separated from the sender by a block, whose keys the sender cannot fetch.
 */
public final class ContentCheck implements ContentRule {

    /** Beyond this many remembered conversations, the memory starts again: a cache, never a source of truth. */
    static final int MAX_REMEMBERED = 100_000;

    private final Database database;
    private final MessageStore messages = new MessageStore();
    /** Whether a conversation is encrypted never changes after its creation, so an answer is good forever. */
    private final Map<String, Boolean> encrypted = new ConcurrentHashMap<>();

    public ContentCheck(Database database) {
        this.database = database;
    }

    /**
     * @param ciphertext null for a body
     * @throws Refusal 400 content of the wrong kind for the conversation, or a {@code senderDeviceId} that is not the
     *                 caller's device; 404 from a non-member whenever a refusal would tell something of the conversation
     *                 (as REST's 404 rule); 409 envelopes missing or addressed to devices that are not recipients
     *                 ({@code missingDevices}, {@code extraDevices})
     */
    @Override
    public void require(String conversationId, String userId, String deviceId, SealedContent ciphertext) {
        Boolean isEncrypted = encrypted(conversationId);
        if (isEncrypted == null) {
            if (ciphertext != null) {
                throw Refusal.notFound("conversation not found");
            }
            return; // unknown here: the conversation side answers not_found, as for any send
        }
        if (!isEncrypted && ciphertext != null) {
            requireMember(conversationId, userId);
            throw Refusal.invalid("ciphertext in a plain conversation",
                    "this conversation is not end-to-end encrypted: send a body");
        }
        if (isEncrypted && ciphertext == null) {
            requireMember(conversationId, userId);
            throw Refusal.invalid("body in an encrypted conversation",
                    "this conversation is end-to-end encrypted: send a ciphertext, not a body");
        }
        if (ciphertext != null) {
            requireRecipients(conversationId, new DeviceRef(userId, deviceId), ciphertext);
        }
    }

    private void requireRecipients(String conversationId, DeviceRef sender, SealedContent ciphertext) {
        Recipients recipients = database.withConnection(c -> recipients(c, conversationId, sender.userId()));
        if (!recipients.members().contains(sender.userId())) {
            throw Refusal.notFound("conversation not found");
        }
        if (!ciphertext.senderDeviceId().equals(sender.deviceId())) {
            throw Refusal.invalid("invalid ciphertext", "ciphertext.senderDeviceId must be this device's id");
        }
        Set<DeviceRef> addressed = ciphertext.envelopes().stream().map(SealedContent.Sealed::device)
                .collect(Collectors.toSet());
        Set<DeviceRef> missing = new TreeSet<>(recipients.devices());
        missing.remove(sender);
        missing.removeAll(addressed);
        Set<DeviceRef> extra = new TreeSet<>(addressed);
        extra.removeAll(recipients.devices());
        extra.remove(sender);
        if (!missing.isEmpty() || !extra.isEmpty()) {
            throw Refusal.conflict("devices changed", "the envelopes do not match the members' devices: fetch their "
                            + "keys again and send again with the same id")
                    .withExtension("missingDevices", List.copyOf(missing))
                    .withExtension("extraDevices", List.copyOf(extra));
        }
    }

    /**
     * Asked only on the way to a refusal, which would tell a non-member that the conversation exists and whether it is
     * encrypted: the common path (content that fits) costs no query for it.
     */
    private void requireMember(String conversationId, String userId) {
        if (!database.withConnection(c -> messages.isMember(c, conversationId, userId))) {
            throw Refusal.notFound("conversation not found");
        }
    }

    private Boolean encrypted(String conversationId) {
        Boolean known = encrypted.get(conversationId);
        if (known != null) {
            return known;
        }
        Boolean read = database.withConnection(c -> readEncrypted(c, conversationId));
        if (read != null) {
            if (encrypted.size() >= MAX_REMEMBERED) {
                encrypted.clear();
            }
            encrypted.put(conversationId, read);
        }
        return read;
    }

    private static Boolean readEncrypted(Connection connection, String conversationId) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(
                "SELECT encrypted FROM conversations WHERE conversation_id = ?")) {
            statement.setString(1, conversationId);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getBoolean(1) : null;
            }
        }
    }

    private record Recipients(Set<String> members, Set<DeviceRef> devices) {
    }

    /**
     * The members, and the devices with keys of those the sender may know the keys of: a member separated from the
     * sender by a block (either way) is no recipient, since the key directory hides their keys from each other. In a
     * group, the one of them who blocked the other gets that sender's messages without an envelope.
     */
    private static Recipients recipients(Connection connection, String conversationId, String senderId)
            throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("""
                SELECT m.user_id, k.device_id
                  FROM conversation_members m
                  LEFT JOIN device_keys k ON k.user_id = m.user_id
                       AND NOT EXISTS (SELECT 1 FROM blocks b
                                        WHERE (b.blocker_id = ? AND b.blocked_id = m.user_id)
                                           OR (b.blocker_id = m.user_id AND b.blocked_id = ?))
                 WHERE m.conversation_id = ?""")) {
            statement.setString(1, senderId);
            statement.setString(2, senderId);
            statement.setString(3, conversationId);
            Set<String> members = new HashSet<>();
            Set<DeviceRef> devices = new HashSet<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    members.add(rows.getString(1));
                    String deviceId = rows.getString(2);
                    if (deviceId != null) {
                        devices.add(new DeviceRef(rows.getString(1), deviceId));
                    }
                }
            }
            return new Recipients(members, devices);
        }
    }
}
