package io.kchat.gateway.contacts;

import io.kchat.events.UserCommand;
import io.kchat.gateway.contacts.ContactEvents.Addressed;
import io.kchat.gateway.db.OutboxWriter;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.kafka.PublishFailedException;
import io.kchat.schemas.OutboxEvents;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two halves of D1 for contact events: {@link #append} writes one outbox row per event (keyed by its user) in
 * the transaction of the change; {@link #publish} writes the same records to chat.user-inbound after the commit,
 * before the caller is answered. The relay and the publish may both deliver an event: its id makes it count once.
 */
final class ContactEventLog {

    private static final Logger log = LoggerFactory.getLogger(ContactEventLog.class);

    private final EventPublisher<String, UserCommand> userInbound;
    private final Duration publishTimeout;
    private final OutboxWriter outbox = new OutboxWriter();

    ContactEventLog(EventPublisher<String, UserCommand> userInbound, Duration publishTimeout) {
        this.userInbound = userInbound;
        this.publishTimeout = publishTimeout;
    }

    void append(Connection connection, List<Addressed> events, Instant createdAt) throws SQLException {
        for (Addressed event : events) {
            outbox.append(connection, event.userId(), OutboxEvents.USER_COMMAND,
                    userInbound.serializeValue(event.command()), createdAt);
        }
    }

    /**
     * In order: two events of one user go to one partition, so they are appended to the user's log in this order.
     *
     * @throws Refusal 503 when Kafka did not acknowledge one in time (the outbox relays them all)
     */
    void publish(List<Addressed> events) {
        for (Addressed event : events) {
            try {
                userInbound.publishAndAwait(event.userId(), event.command(), publishTimeout);
            } catch (PublishFailedException e) {
                log.warn("contact event {} for user {} committed but not acknowledged by Kafka; the outbox relay "
                        + "will carry it", event.change().getEventId(), event.userId(), e);
                throw Refusal.unavailable("event log unavailable; the change was saved and will be announced");
            }
        }
    }
}
