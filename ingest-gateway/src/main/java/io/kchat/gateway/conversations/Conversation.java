package io.kchat.gateway.conversations;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A conversation as stored in PostgreSQL. {@code version} grows with every membership or metadata change;
 * the processor applies snapshots only when newer (D1). {@code encrypted} is fixed at creation: end-to-end
 * encrypted conversations carry per-device envelopes instead of a body. {@code avatarMediaId}: a group's avatar
 * image, null for none (always for a direct conversation).
 */
public record Conversation(String conversationId, ConversationKind kind, String title, List<Membership> members,
                           long version, Instant createdAt, Instant lastActivityAt, boolean encrypted,
                           String avatarMediaId) {

    public Conversation {
        members = List.copyOf(members);
    }

    /** A conversation without an avatar, as every conversation is created. */
    public Conversation(String conversationId, ConversationKind kind, String title, List<Membership> members,
                        long version, Instant createdAt, Instant lastActivityAt, boolean encrypted) {
        this(conversationId, kind, title, members, version, createdAt, lastActivityAt, encrypted, null);
    }

    public Conversation withMembers(List<Membership> value) {
        return new Conversation(conversationId, kind, title, value, version, createdAt, lastActivityAt, encrypted,
                avatarMediaId);
    }

    /** The snapshot after a change: the given title and members under the next version; the avatar stays. */
    public Conversation next(String newTitle, List<Membership> newMembers) {
        return next(newTitle, newMembers, avatarMediaId);
    }

    /** The snapshot after a change of the title, the members and/or the avatar, under the next version. */
    public Conversation next(String newTitle, List<Membership> newMembers, String newAvatarMediaId) {
        return new Conversation(conversationId, kind, newTitle, newMembers, version + 1, createdAt, lastActivityAt,
                encrypted, newAvatarMediaId);
    }

    public Optional<Membership> member(String userId) {
        return members.stream().filter(m -> m.userId().equals(userId)).findFirst();
    }

    /** The key that makes a pair's direct conversation unique, whichever of the two creates it. */
    public static String directKey(String userA, String userB) {
        return userA.compareTo(userB) < 0 ? userA + ":" + userB : userB + ":" + userA;
    }

    /**
     * A pair has at most one plain and one end-to-end encrypted direct conversation (as a secret chat sits beside the
     * ordinary one): asking for the other kind is not answered with the one that exists.
     */
    public static String directKey(String userA, String userB, boolean encrypted) {
        return encrypted ? directKey(userA, userB) + ":e2ee" : directKey(userA, userB);
    }

    /** Both of a pair's possible direct conversations, plain first. */
    public static List<String> directKeys(String userA, String userB) {
        return List.of(directKey(userA, userB, false), directKey(userA, userB, true));
    }
}
