package io.kchat.gateway.conversations;

import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.InboundCommand;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import java.time.Instant;
import java.util.UUID;

/** Conversation changes as chat.inbound commands (D1). */
public final class ConversationCommands {

    private ConversationCommands() {
    }

    /** @param blocked whether a block separates the members of a direct conversation ({@link BlockedFlag}) */
    public static InboundCommand created(Conversation conversation, String actorId, Instant ingestTime,
                                         boolean blocked) {
        return changed(ConversationEventKind.CREATED, conversation, actorId, null, ingestTime, blocked);
    }

    /**
     * @param subjectUserId the member added or removed; null for other changes
     * @param blocked       whether a block separates the members of a direct conversation ({@link BlockedFlag})
     */
    public static InboundCommand changed(ConversationEventKind kind, Conversation conversation, String actorId,
                                         String subjectUserId, Instant ingestTime, boolean blocked) {
        return new InboundCommand(UUID.randomUUID().toString(), ingestTime,
                new ConversationChanged(kind, actorId, subjectUserId, snapshot(conversation, blocked)));
    }

    /**
     * The flag is an argument, not a default: the processor refuses every send in a direct conversation whose
     * latest snapshot says blocked, so a snapshot that left it out would quietly lift a block.
     */
    public static ConversationSnapshot snapshot(Conversation conversation, boolean blocked) {
        return new ConversationSnapshot(conversation.conversationId(),
                type(conversation.kind()),
                conversation.title(),
                conversation.members().stream()
                        .map(m -> new Member(m.userId(), MemberRole.valueOf(m.role().name())))
                        .toList(),
                conversation.version(), blocked, conversation.encrypted(), conversation.avatarMediaId());
    }

    private static ConversationType type(ConversationKind kind) {
        return switch (kind) {
            case DIRECT -> ConversationType.DIRECT;
            case GROUP -> ConversationType.GROUP;
            case ASSISTANT -> ConversationType.ASSISTANT;
        };
    }

    /** The record key of a conversation command. */
    public static String conversationId(InboundCommand command) {
        if (command.getCommand() instanceof ConversationChanged changed) {
            return changed.getConversation().getConversationId();
        }
        throw new IllegalArgumentException("not a conversation change: " + command.getCommand().getClass());
    }
}
