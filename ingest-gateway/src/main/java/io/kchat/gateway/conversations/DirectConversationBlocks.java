package io.kchat.gateway.conversations;

import io.kchat.events.ConversationEventKind;
import io.kchat.events.InboundCommand;
import io.kchat.gateway.kafka.EventPublisher;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tells the processor that a block between two users was placed or lifted, through their direct conversation (if
 * they have one): its snapshot, under a new version, carries the {@code blocked} flag the blocks table now implies,
 * and the processor refuses or allows sends from that command on, in order with the messages (D1). Called by the
 * blocks feature inside its transaction ({@link #afterBlockChange}), then after the commit ({@link #publish}).
 */
public final class DirectConversationBlocks {

    private final ConversationCommandLog commandLog;
    private final ConversationStore conversations = new ConversationStore();
    private final BlockedFlag blockedFlag = new BlockedFlag();

    public DirectConversationBlocks(EventPublisher<String, InboundCommand> inbound, Duration publishTimeout) {
        this.commandLog = new ConversationCommandLog(inbound, publishTimeout);
    }

    /**
     * Call after the blocks row changed, in the same transaction. The conversation row is locked like any other
     * change of it, so its versions never collide with a membership change. When nothing changed (a block placed
     * twice) the current snapshot is announced again under its own version, which the processor ignores unless the
     * first announcement was lost: the caller of a retried request is answered only once the state is in the log.
     *
     * @param changed whether the blocks row was inserted or deleted now
     * @return the commands to {@link #publish} after the commit: one per direct conversation of the two (a plain and
     *         an encrypted one at most)
     */
    public List<InboundCommand> afterBlockChange(Connection connection, String actorId, String userA, String userB,
                                                 boolean changed, Instant now) throws SQLException {
        List<InboundCommand> commands = new ArrayList<>();
        for (String directKey : Conversation.directKeys(userA, userB)) {
            Optional<Conversation> direct = conversations.findDirect(connection, directKey);
            if (direct.isPresent()) {
                commands.add(afterBlockChange(connection, actorId, direct.get().conversationId(), changed, now));
            }
        }
        return commands;
    }

    private InboundCommand afterBlockChange(Connection connection, String actorId, String conversationId,
                                            boolean changed, Instant now) throws SQLException {
        Conversation current = conversations.lock(connection, conversationId).orElseThrow();
        boolean blocked = blockedFlag.of(connection, current);
        if (!changed) {
            return ConversationCommands.changed(ConversationEventKind.UPDATED, current, actorId, null, now, blocked);
        }
        Conversation next = current.next(current.title(), current.members());
        conversations.update(connection, next);
        InboundCommand command = ConversationCommands.changed(ConversationEventKind.UPDATED, next, actorId, null, now,
                blocked);
        commandLog.appendToOutbox(connection, command, now);
        return command;
    }

    /** @throws io.kchat.gateway.errors.Refusal 503 when Kafka did not acknowledge (the outbox relays it) */
    public void publish(InboundCommand command) {
        commandLog.publish(command);
    }
}
