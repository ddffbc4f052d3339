package io.kchat.gateway.conversations;

import io.kchat.gateway.errors.Refusal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who may change a group, and what a change does to its members; pure, so that the rules are tested
 * without a database. Members are in join order (the order the store returns them).
 *
 * <ul>
 *   <li>The owner and admins may rename a group, set its avatar and add members.</li>
 *   <li>Anyone may leave. The owner may remove anyone; an admin may remove plain members only, so that no
 *       admin can push out the owner or another admin.</li>
 *   <li>When the owner leaves, the longest-standing admin becomes owner, else the longest-standing member;
 *       the last member leaving leaves an empty group nobody can see.</li>
 *   <li>Direct conversations have no title, no avatar and exactly their two members: none of this applies to
 *       them.</li>
 *   <li>An assistant conversation (its person as owner and the assistant's user) is renamed, given an avatar and left
 *       like a group, but nobody is added to it or removed from it by someone else.</li>
 * </ul>
 */
final class MembershipRules {

    /** {@code reason} of the 409 for a change a direct conversation cannot take. */
    static final String DIRECT_CONVERSATION = "direct_conversation";
    /** {@code reason} of the 409 for adding (or removing) someone in an assistant conversation. */
    static final String ASSISTANT_CONVERSATION = "assistant_conversation";
    /** {@code reason} of the 409 for an addition beyond the group size cap. */
    static final String GROUP_FULL = "group_full";

    private MembershipRules() {
    }

    /** Renaming, the avatar and leaving: a group's, and an assistant conversation's (named and left by its person). */
    static void requireTitled(Conversation conversation) {
        if (conversation.kind() == ConversationKind.DIRECT) {
            throw directConversation();
        }
    }

    /**
     * Adding or removing someone else: a group's alone; an assistant conversation keeps its person and the assistant.
     */
    static void requireGroup(Conversation conversation) {
        switch (conversation.kind()) {
            case GROUP -> { }
            case DIRECT -> throw directConversation();
            case ASSISTANT -> throw Refusal.conflict("not a group",
                            "an assistant conversation has its person and the assistant, nobody else")
                    .withReason(ASSISTANT_CONVERSATION);
        }
    }

    private static Refusal directConversation() {
        return Refusal.conflict("not a group",
                        "a direct conversation has no title, no avatar and always its two members")
                .withReason(DIRECT_CONVERSATION);
    }

    /** Renaming, setting the avatar and adding: the owner and admins. */
    static void requireManager(Membership actor, String action) {
        if (actor.role() == Role.MEMBER) {
            throw Refusal.forbidden("not allowed", "only the owner or an admin may " + action);
        }
    }

    /** Removing someone else: the owner anyone, an admin plain members. */
    static void requireMayRemove(Membership actor, Membership target) {
        requireManager(actor, "remove members");
        if (actor.role() == Role.ADMIN && target.role() != Role.MEMBER) {
            throw Refusal.forbidden("not allowed", "only the owner may remove the owner or an admin");
        }
    }

    static void requireRoomFor(Conversation conversation, int maxGroupSize) {
        if (conversation.members().size() >= maxGroupSize) {
            throw Refusal.conflict("group full", "a group has at most " + maxGroupSize + " members")
                    .withReason(GROUP_FULL);
        }
    }

    static List<Membership> withAdded(List<Membership> members, String userId) {
        List<Membership> next = new ArrayList<>(members);
        next.add(new Membership(userId, Role.MEMBER));
        return next;
    }

    /** The members after {@code userId} left or was removed, with a new owner when the owner went. */
    static List<Membership> withRemoved(List<Membership> members, String userId) {
        boolean ownerLeaves = members.stream().anyMatch(m -> m.userId().equals(userId) && m.role() == Role.OWNER);
        List<Membership> remaining = members.stream().filter(m -> !m.userId().equals(userId)).toList();
        if (!ownerLeaves) {
            return remaining;
        }
        Optional<Membership> heir = successor(remaining);
        return remaining.stream()
                .map(m -> heir.isPresent() && m.userId().equals(heir.get().userId())
                        ? new Membership(m.userId(), Role.OWNER) : m)
                .toList();
    }

    /** The longest-standing admin, else the longest-standing member; empty when nobody remains. */
    static Optional<Membership> successor(List<Membership> remaining) {
        return remaining.stream().filter(m -> m.role() == Role.ADMIN).findFirst()
                .or(() -> remaining.stream().findFirst());
    }
}
