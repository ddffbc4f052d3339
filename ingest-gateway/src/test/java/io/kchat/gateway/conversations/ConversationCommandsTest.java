package io.kchat.gateway.conversations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.schemas.AvroSerde;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationCommandsTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00.123Z");

    @Test
    void directKeyIsTheSameWhoeverCreates() {
        assertEquals("a:b", Conversation.directKey("a", "b"));
        assertEquals("a:b", Conversation.directKey("b", "a"));
    }

    @Test
    void createdCarriesTheWholeSnapshotAndSurvivesAvro() {
        Conversation group = new Conversation("c1", ConversationKind.GROUP, "Team",
                List.of(new Membership("u1", Role.OWNER), new Membership("u2", Role.MEMBER)), 1, NOW, NOW, false);

        InboundCommand command = ConversationCommands.created(group, "u1", NOW, false);
        AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);
        InboundCommand decoded = serde.decode(serde.encode(command));

        assertEquals(command, decoded);
        assertEquals(NOW, decoded.getIngestTime());
        ConversationChanged changed = (ConversationChanged) decoded.getCommand();
        assertEquals(ConversationEventKind.CREATED, changed.getKind());
        assertEquals("u1", changed.getActorId());
        assertNull(changed.getSubjectUserId());
        assertEquals(ConversationType.GROUP, changed.getConversation().getType());
        assertEquals("Team", changed.getConversation().getTitle());
        assertEquals(List.of(new Member("u1", MemberRole.OWNER), new Member("u2", MemberRole.MEMBER)),
                changed.getConversation().getMembers());
        assertEquals(1L, changed.getConversation().getVersion());
        assertEquals("c1", ConversationCommands.conversationId(decoded));
        assertEquals(false, changed.getConversation().getBlocked());
        assertNull(changed.getConversation().getAvatarMediaId(), "a new group has no avatar");
    }

    @Test
    void eachKindIsItsConversationTypeAndItsWireName() {
        AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);
        for (ConversationKind kind : ConversationKind.values()) {
            Conversation conversation = new Conversation("c-" + kind, kind, "t",
                    List.of(new Membership("u1", Role.OWNER), new Membership("u2", Role.MEMBER)), 1, NOW, NOW, false);
            ConversationChanged changed = (ConversationChanged) serde.decode(serde.encode(
                    ConversationCommands.created(conversation, "u1", NOW, false))).getCommand();
            assertEquals(kind.name(), changed.getConversation().getType().name());
            assertEquals(kind, ConversationKind.fromWire(kind.wireName()).orElseThrow());
        }
        assertEquals("assistant", ConversationKind.ASSISTANT.wireName());
    }

    @Test
    void aChangedAvatarReachesTheSnapshotUnderTheNextVersion() {
        Conversation group = new Conversation("c1", ConversationKind.GROUP, "Team",
                List.of(new Membership("u1", Role.OWNER)), 1, NOW, NOW, false);
        Conversation withAvatar = group.next(group.title(), group.members(), "m-1");
        AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);

        InboundCommand decoded = serde.decode(serde.encode(ConversationCommands.changed(ConversationEventKind.UPDATED,
                withAvatar, "u1", null, NOW, false)));

        ConversationChanged changed = (ConversationChanged) decoded.getCommand();
        assertEquals("m-1", changed.getConversation().getAvatarMediaId());
        assertEquals(2L, changed.getConversation().getVersion());
        assertEquals("m-1", withAvatar.next("Renamed", withAvatar.members()).avatarMediaId(), "a rename keeps it");
    }

    @Test
    void theBlockedFlagReachesTheSnapshot() {
        Conversation direct = new Conversation("d1", ConversationKind.DIRECT, null,
                List.of(new Membership("u1", Role.MEMBER), new Membership("u2", Role.MEMBER)), 3, NOW, NOW, false);
        AvroSerde<InboundCommand> serde = AvroSerde.of(InboundCommand.class);

        InboundCommand blocked = serde.decode(serde.encode(ConversationCommands.changed(ConversationEventKind.UPDATED,
                direct, "u1", null, NOW, true)));
        InboundCommand open = serde.decode(serde.encode(ConversationCommands.created(direct, "u1", NOW, false)));

        assertEquals(true, ((ConversationChanged) blocked.getCommand()).getConversation().getBlocked());
        assertEquals(false, ((ConversationChanged) open.getCommand()).getConversation().getBlocked());
        assertEquals(3L, ((ConversationChanged) blocked.getCommand()).getConversation().getVersion());
    }
}
