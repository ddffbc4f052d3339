package io.kchat.gateway.contacts;

import io.kchat.events.UserCommand;
import io.kchat.gateway.contacts.ContactEvents.Addressed;
import io.kchat.gateway.db.Database;
import io.kchat.gateway.errors.Refusal;
import io.kchat.gateway.kafka.EventPublisher;
import io.kchat.gateway.limits.KeyedRateLimiter;
import io.kchat.gateway.relations.BlockStore;
import io.kchat.gateway.relations.ContactStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Connection requests and contacts. Every change follows D1: its rows and one outbox row per event commit together
 * ({@link ContactEventLog}), then the events are published to chat.user-inbound and the caller is answered once
 * Kafka acknowledged them.
 *
 * <p>A user who blocked the actor is answered exactly like an unknown user (404), so a block cannot be detected by
 * sending requests; a user the actor blocked is 409 {@code blocked}: the actor knows, and must unblock first.
 */
public final class ContactService {

    public static final String BLOCKED = "blocked";
    public static final String ALREADY_CONTACTS = "already_contacts";
    public static final String ALREADY_PENDING = "already_pending";

    /** A request's outcome: {@code created} false when it accepted the other user's pending request instead. */
    public record Sent(ContactRequest request, boolean created) {
    }

    /** What a transaction decided and the events it wrote to the outbox, to publish after the commit. */
    private record Outcome<T>(T value, List<Addressed> events) {
    }

    private final Database database;
    private final ContactEventLog eventLog;
    private final KeyedRateLimiter<String> requestLimiter;
    private final Clock clock;
    private final PairChanges pairs = new PairChanges();
    private final RequestStore requests = new RequestStore();
    private final ContactStore contacts = new ContactStore();
    private final BlockStore blocks = new BlockStore();

    public ContactService(Database database, EventPublisher<String, UserCommand> userInbound, ContactsConfig config,
                          Clock clock) {
        this.database = database;
        this.eventLog = new ContactEventLog(userInbound, config.publishTimeout());
        this.requestLimiter = new KeyedRateLimiter<>(config.requestRate(), config.maxTrackedUsers(), clock);
        this.clock = clock;
    }

    /**
     * Asks {@code userId} to connect; when they had asked the actor already, accepts their request instead.
     *
     * @throws Refusal 400 oneself or a message too long, 404 unknown user or one who blocked the actor, 409 already
     *                 contacts, already pending or blocked by the actor, 429 too many requests, 503 Kafka unavailable
     */
    public Sent request(String actorId, String userId, String message) {
        RequestInput.userId(userId);
        RequestInput.requireOther(actorId, userId, "send a contact request to");
        String note = RequestInput.message(message);
        admit(actorId);
        Instant now = now();
        Outcome<Sent> outcome = database.inTransaction(connection -> {
            if (!pairs.lock(connection, actorId, userId) || blocks.blocks(connection, userId, actorId)) {
                throw Refusal.notFound("user not found");
            }
            requireMayAsk(connection, actorId, userId);
            Optional<ContactRequest> theirs = requests.pending(connection, userId, actorId);
            if (theirs.isPresent()) {
                PairChanges.Accepted accepted = pairs.accept(connection, theirs.get(), now);
                eventLog.append(connection, accepted.events(), now);
                return new Outcome<>(new Sent(accepted.request(), false), accepted.events());
            }
            ContactRequest fresh = new ContactRequest(UUID.randomUUID().toString(), actorId, userId, note,
                    RequestState.PENDING.wireName(), now);
            requests.insert(connection, fresh);
            List<Addressed> events = ContactEvents.requested(fresh, now);
            eventLog.append(connection, events, now);
            return new Outcome<>(new Sent(fresh, true), events);
        });
        eventLog.publish(outcome.events());
        return outcome.value();
    }

    /** @param incoming requests to the user, else those the user sent; pending ones only, newest first */
    public List<ContactRequest> pendingRequests(String actorId, boolean incoming) {
        return database.withConnection(c -> requests.pendingOf(c, actorId, incoming));
    }

    /**
     * @return the requester as the actor's new contact
     * @throws Refusal 404 unless the actor is the recipient of this pending request, 503 Kafka unavailable
     */
    public ContactStore.Contact accept(String actorId, String requestId) {
        Instant now = now();
        Outcome<ContactStore.Contact> outcome = database.inTransaction(connection -> {
            ContactRequest request = lockPending(connection, actorId, requestId);
            PairChanges.Accepted accepted = pairs.accept(connection, request, now);
            eventLog.append(connection, accepted.events(), now);
            return new Outcome<>(accepted.requester(), accepted.events());
        });
        eventLog.publish(outcome.events());
        return outcome.value();
    }

    /** @throws Refusal 404 unless the actor is the recipient of this pending request, 503 Kafka unavailable */
    public void decline(String actorId, String requestId) {
        Instant now = now();
        List<Addressed> events = database.inTransaction(connection -> {
            ContactRequest request = lockPending(connection, actorId, requestId);
            List<Addressed> declined = pairs.decline(connection, request, now);
            eventLog.append(connection, declined, now);
            return declined;
        });
        eventLog.publish(events);
    }

    public List<ContactStore.Contact> contacts(String actorId) {
        return database.withConnection(c -> contacts.of(c, actorId));
    }

    /** Ends the contact on both sides. @throws Refusal 404 when the two are not contacts, 503 Kafka unavailable */
    public void remove(String actorId, String userId) {
        RequestInput.userId(userId);
        Instant now = now();
        List<Addressed> events = database.inTransaction(connection -> {
            if (actorId.equals(userId) || !pairs.lock(connection, actorId, userId)) {
                throw Refusal.notFound("contact not found");
            }
            List<Addressed> removed = pairs.endContact(connection, actorId, userId, now)
                    .orElseThrow(() -> Refusal.notFound("contact not found"));
            eventLog.append(connection, removed, now);
            return removed;
        });
        eventLog.publish(events);
    }

    private void requireMayAsk(Connection connection, String actorId, String userId) throws SQLException {
        if (blocks.blocks(connection, actorId, userId)) {
            throw Refusal.conflict("user blocked", "unblock this user before sending them a request")
                    .withReason(BLOCKED);
        }
        if (contacts.areContacts(connection, actorId, userId)) {
            throw Refusal.conflict("already contacts", null).withReason(ALREADY_CONTACTS);
        }
        if (requests.pending(connection, actorId, userId).isPresent()) {
            throw Refusal.conflict("request already pending", null).withReason(ALREADY_PENDING);
        }
    }

    /**
     * The request, read again under the pair's lock: a concurrent decision (or a block) may have decided it since.
     * 404 alike for a request that does not exist, one the actor did not receive and one no longer pending.
     */
    private ContactRequest lockPending(Connection connection, String actorId, String requestId) throws SQLException {
        ContactRequest request = requests.find(connection, requestId)
                .filter(r -> r.toUserId().equals(actorId))
                .orElseThrow(() -> Refusal.notFound("request not found"));
        pairs.lock(connection, actorId, request.fromUserId());
        return requests.find(connection, requestId)
                .filter(ContactRequest::isPending)
                .orElseThrow(() -> Refusal.notFound("request not found"));
    }

    private void admit(String actorId) {
        KeyedRateLimiter.Verdict verdict = requestLimiter.acquire(actorId);
        if (!verdict.admitted()) {
            long seconds = Math.max(1, (verdict.retryAfter().toMillis() + 999) / 1000);
            throw Refusal.rateLimited("too many contact requests", "retry in " + seconds + " s", seconds);
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
