package io.kchat.gateway.conversations;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.gateway.http.ApiException;
import java.util.List;
import org.junit.jupiter.api.Test;

class MembershipRulesTest {

    private static final Membership OWNER = new Membership("o", Role.OWNER);
    private static final Membership ADMIN = new Membership("a", Role.ADMIN);
    private static final Membership MEMBER = new Membership("m", Role.MEMBER);

    @Test
    void theLongestStandingAdminInheritsAGroupItsOwnerLeaves() {
        List<Membership> members = List.of(OWNER, new Membership("early", Role.MEMBER), ADMIN,
                new Membership("late-admin", Role.ADMIN));

        assertEquals(List.of(new Membership("early", Role.MEMBER), new Membership("a", Role.OWNER),
                new Membership("late-admin", Role.ADMIN)), MembershipRules.withRemoved(members, "o"));
    }

    @Test
    void withoutAdminsTheLongestStandingMemberInherits() {
        List<Membership> members = List.of(new Membership("first", Role.MEMBER), OWNER, MEMBER);

        assertEquals(List.of(new Membership("first", Role.OWNER), MEMBER), MembershipRules.withRemoved(members, "o"));
    }

    @Test
    void theLastOwnerLeavingLeavesAnEmptyGroup() {
        assertEquals(List.of(), MembershipRules.withRemoved(List.of(OWNER), "o"));
    }

    @Test
    void removingSomeoneElseKeepsTheRoles() {
        assertEquals(List.of(OWNER, ADMIN), MembershipRules.withRemoved(List.of(OWNER, ADMIN, MEMBER), "m"));
    }

    @Test
    void adminsRemovePlainMembersOnly() {
        MembershipRules.requireMayRemove(OWNER, ADMIN);
        MembershipRules.requireMayRemove(ADMIN, MEMBER);

        assertEquals(403, refused(() -> MembershipRules.requireMayRemove(ADMIN, OWNER)).status());
        assertEquals(403, refused(
                () -> MembershipRules.requireMayRemove(ADMIN, new Membership("a2", Role.ADMIN))).status());
        assertEquals(403, refused(() -> MembershipRules.requireMayRemove(MEMBER, MEMBER))
                .status());
    }

    @Test
    void anAssistantConversationIsTitledLikeAGroupButNobodyJoinsIt() {
        Conversation assistant = new Conversation("c", ConversationKind.ASSISTANT, "t", List.of(OWNER, MEMBER), 1, null,
                null, false);
        Conversation direct = new Conversation("d", ConversationKind.DIRECT, null, List.of(OWNER, MEMBER), 1, null,
                null, false);
        Conversation group = new Conversation("g", ConversationKind.GROUP, "t", List.of(OWNER, MEMBER), 1, null,
                null, false);

        MembershipRules.requireTitled(assistant);
        MembershipRules.requireTitled(group);
        MembershipRules.requireGroup(group);
        ApiException joined = refused(() -> MembershipRules.requireGroup(assistant));
        assertEquals(409, joined.status());
        assertEquals(MembershipRules.ASSISTANT_CONVERSATION, joined.reason());
        assertEquals(MembershipRules.DIRECT_CONVERSATION,
                refused(() -> MembershipRules.requireTitled(direct)).reason());
        assertEquals(MembershipRules.DIRECT_CONVERSATION,
                refused(() -> MembershipRules.requireGroup(direct)).reason());
    }

    @Test
    void aFullGroupIsAConflictWithItsReason() {
        Conversation group = new Conversation("c", ConversationKind.GROUP, "t", List.of(OWNER, MEMBER), 1, null, null, false);

        ApiException full = refused(() -> MembershipRules.requireRoomFor(group, 2));

        assertEquals(409, full.status());
        assertEquals(MembershipRules.GROUP_FULL, full.reason());
        MembershipRules.requireRoomFor(group, 3);
    }
}
