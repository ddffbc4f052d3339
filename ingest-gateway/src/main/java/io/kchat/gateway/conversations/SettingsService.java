package io.kchat.gateway.conversations;

import io.kchat.events.UserCommand;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * A member's own settings of a conversation: muted (for a while or until unmuted), pinned, archived. Only members
 * have them, and a non-member is answered as if the conversation did not exist. Every change reaches the user's
 * devices as a {@code settings} frame.
 */
public final class SettingsService {

    private final Database database;
    private final SettingsEvents events;
    private final Clock clock;
    private final ConversationSettingsStore store = new ConversationSettingsStore();

    public SettingsService(Database database, EventPublisher<String, UserCommand> userInbound,
                           Duration publishTimeout, Clock clock) {
        this.database = database;
        this.events = new SettingsEvents(userInbound, publishTimeout);
        this.clock = clock;
    }

    /** @throws Refusal 404 when it does not exist or the user is not a member */
    public ConversationSettings get(String userId, String conversationId) {
        Instant now = clock.instant();
        ConversationSettings stored = database.withConnection(connection -> {
            if (!store.isMember(connection, conversationId, userId)) {
                throw Refusal.notFound("conversation not found");
            }
            return store.find(connection, conversationId, userId);
        });
        return stored.asOf(now);
    }

    /**
     * Applies the fields given; in one transaction the row and the event's outbox row, then the event is published
     * before the answer.
     *
     * @return the settings after the change, as they read now
     * @throws Refusal 400 for a malformed or past mutedUntil, 404 for a non-member, 503 when Kafka did not
     *                 acknowledge the event (the change is saved and the outbox relays it)
     */
    public ConversationSettings change(String userId, String conversationId, Boolean muted, String mutedUntil,
                                       Boolean pinned, Boolean archived) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        SettingsChange change = SettingsChange.of(muted, mutedUntil, pinned, archived, now);
        record Saved(ConversationSettings settings, UserCommand event) {
        }
        Saved saved = database.inTransaction(connection -> {
            if (!store.lockMembership(connection, conversationId, userId)) {
                throw Refusal.notFound("conversation not found");
            }
            ConversationSettings next = change.applyTo(store.find(connection, conversationId, userId), now);
            store.upsert(connection, conversationId, userId, next, now);
            UserCommand event = SettingsEvents.changed(userId, conversationId, next, now);
            events.append(connection, userId, event, now);
            return new Saved(next, event);
        });
        events.publish(userId, saved.event());
        return saved.settings().asOf(now);
    }
}
