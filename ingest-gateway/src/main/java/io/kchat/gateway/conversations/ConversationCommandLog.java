package io.kchat.gateway.conversations;

import io.kchat.events.InboundCommand;
import io.kchat.gateway.db.OutboxWriter;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import io.kchat.schemas.OutboxEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of D1 for a conversation command: {@link #appendToOutbox} inside the transaction that
 * changes the rows, {@link #publish} after it committed and before the caller is answered.
 */
final class ConversationCommandLog {

    private static final Logger log = LoggerFactory.getLogger(ConversationCommandLog.class);

    private final EventPublisher<String, InboundCommand> inbound;
    private final Duration publishTimeout;
    private final OutboxWriter outbox = new OutboxWriter();

    ConversationCommandLog(EventPublisher<String, InboundCommand> inbound, Duration publishTimeout) {
        this.inbound = inbound;
        this.publishTimeout = publishTimeout;
    }

    void appendToOutbox(Connection connection, InboundCommand command, Instant createdAt) throws SQLException {
        byte[] payload = inbound.serializeValue(command);
        outbox.append(connection, ConversationCommands.conversationId(command),
                OutboxEvents.INBOUND_COMMAND, payload, createdAt);
    }

    /**
     * Waits for Kafka's acknowledgement (acks=all); the committed outbox row covers a failure here.
     *
     * @throws Refusal 503 when Kafka did not acknowledge in time
     */
    void publish(InboundCommand command) {
        String conversationId = ConversationCommands.conversationId(command);
        try {
            inbound.publishAndAwait(conversationId, command, publishTimeout);
        } catch (PublishFailedException e) {
            log.warn("conversation {} committed but command {} not acknowledged by Kafka; the outbox relay will carry it",
                    conversationId, command.getCommandId(), e);
            throw Refusal.unavailable("event log unavailable; the change was saved and will be announced");
        }
    }
}
