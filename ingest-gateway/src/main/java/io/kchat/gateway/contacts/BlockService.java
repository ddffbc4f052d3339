package io.kchat.gateway.contacts;

import io.kchat.events.InboundCommand;
import io.kchat.events.UserCommand;
import io.kchat.gateway.contacts.ContactEvents.Addressed;
import io.kchat.gateway.conversations.DirectConversationBlocks;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.relations.BlockStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Blocks, both idempotent. Placing one also ends what connected the two users: their contact (both sides) and any
 * pending request either way (declined), each with the events of that change; placing or lifting one is told to the
 * blocker's own devices ({@code blocked}, {@code unblocked}), never to the blocked user. Placing or lifting one re-announces
 * their direct conversation, if any, with the {@code blocked} flag the blocks table now implies (either way), so the
 * processor refuses or allows its sends from there on. All of it commits in one transaction (D1).
 */
public final class BlockService {

    /** The rows changed and what to publish after the commit: the conversation first, it is what stops sends. */
    private record Outcome(List<InboundCommand> conversations, List<Addressed> events) {
    }

    private final Database database;
    private final ContactEventLog eventLog;
    private final DirectConversationBlocks directConversations;
    private final Clock clock;
    private final PairChanges pairs = new PairChanges();
    private final BlockStore blocks = new BlockStore();

    public BlockService(Database database, EventPublisher<String, UserCommand> userInbound,
                        EventPublisher<String, InboundCommand> inbound, ContactsConfig config, Clock clock) {
        this.database = database;
        this.eventLog = new ContactEventLog(userInbound, config.publishTimeout());
        this.directConversations = new DirectConversationBlocks(inbound, config.publishTimeout());
        this.clock = clock;
    }

    /** @throws Refusal 400 oneself, 404 unknown user, 503 Kafka unavailable */
    public void block(String actorId, String userId) {
        RequestInput.userId(userId);
        RequestInput.requireOther(actorId, userId, "block");
        Instant now = now();
        Outcome outcome = database.inTransaction(connection -> {
            requireUser(connection, actorId, userId);
            boolean placed = blocks.insert(connection, actorId, userId, now);
            List<Addressed> events = new ArrayList<>();
            if (placed) {
                pairs.endContact(connection, actorId, userId, now).ifPresent(events::addAll);
                events.addAll(pairs.declineBetween(connection, actorId, userId, now));
                events.add(pairs.blockChanged(connection, actorId, userId, true, now));
            }
            return commit(connection, actorId, userId, placed, events, now);
        });
        publish(outcome);
    }

    /** @throws Refusal 400 oneself, 404 unknown user, 503 Kafka unavailable */
    public void unblock(String actorId, String userId) {
        RequestInput.userId(userId);
        RequestInput.requireOther(actorId, userId, "unblock");
        Instant now = now();
        Outcome outcome = database.inTransaction(connection -> {
            requireUser(connection, actorId, userId);
            boolean lifted = blocks.delete(connection, actorId, userId);
            List<Addressed> events = lifted ? List.of(pairs.blockChanged(connection, actorId, userId, false, now))
                    : List.of();
            return commit(connection, actorId, userId, lifted, events, now);
        });
        publish(outcome);
    }

    public List<BlockStore.Blocked> blocks(String actorId) {
        return database.withConnection(c -> blocks.placedBy(c, actorId));
    }

    private void requireUser(Connection connection, String actorId, String userId) throws SQLException {
        if (!pairs.lock(connection, actorId, userId)) {
            throw Refusal.notFound("user not found");
        }
    }

    private Outcome commit(Connection connection, String actorId, String userId, boolean changed,
                           List<Addressed> events, Instant now) throws SQLException {
        List<InboundCommand> conversations =
                directConversations.afterBlockChange(connection, actorId, actorId, userId, changed, now);
        eventLog.append(connection, events, now);
        return new Outcome(conversations, events);
    }

    private void publish(Outcome outcome) {
        outcome.conversations().forEach(directConversations::publish);
        eventLog.publish(outcome.events());
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
