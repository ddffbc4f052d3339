package io.kchat.gateway.conversations;

import io.kchat.events.SettingsChanged;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.db.OutboxWriter;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import io.kchat.schemas.OutboxEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A settings change as the durable event the user's own devices receive (the {@code settings} frame), written by D1
 * as contact events are: an outbox row keyed by the user in the change's transaction ({@link #append}), and the same
 * record published to chat.user-inbound after the commit, before the answer ({@link #publish}). Each change has an
 * event id of its own, so the user side appends it once however many copies arrive.
 */
final class SettingsEvents {

    private static final Logger log = LoggerFactory.getLogger(SettingsEvents.class);

    private final EventPublisher<String, UserCommand> userInbound;
    private final Duration publishTimeout;
    private final OutboxWriter outbox = new OutboxWriter();

    SettingsEvents(EventPublisher<String, UserCommand> userInbound, Duration publishTimeout) {
        this.userInbound = userInbound;
        this.publishTimeout = publishTimeout;
    }

    /** The whole new state, as stored (an expired mute is the device's to read as none, as the API does). */
    static UserCommand changed(String userId, String conversationId, ConversationSettings settings, Instant ts) {
        SettingsChanged change = new SettingsChanged(UUID.randomUUID().toString(), conversationId, settings.muted(),
                settings.mutedUntil(), settings.pinned(), settings.archived(), ts);
        return new UserCommand(new UserEvent(userId, change));
    }

    void append(Connection connection, String userId, UserCommand command, Instant createdAt) throws SQLException {
        outbox.append(connection, userId, OutboxEvents.USER_COMMAND, userInbound.serializeValue(command), createdAt);
    }

    /** @throws Refusal 503 when Kafka did not acknowledge it in time (the outbox relays it) */
    void publish(String userId, UserCommand command) {
        try {
            userInbound.publishAndAwait(userId, command, publishTimeout);
        } catch (PublishFailedException e) {
            log.warn("settings change {} of user {} committed but not acknowledged by Kafka; the outbox relay will "
                    + "carry it", ((SettingsChanged) ((UserEvent) command.getCommand()).getPayload()).getEventId(),
                    userId, e);
            throw Refusal.unavailable("event log unavailable; the change was saved and will be announced");
        }
    }
}
