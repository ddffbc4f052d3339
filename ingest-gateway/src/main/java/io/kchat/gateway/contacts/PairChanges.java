package io.kchat.gateway.contacts;

import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.accounts.UserStore;
import io.kchat.gateway.contacts.ContactEvents.Addressed;
import io.kchat.gateway.relations.ContactStore;
import io.kchat.gateway.relations.PairLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The changes between two users that requests and blocks share, each returning the events it owes both users. Every
 * transaction that changes what connects two users first {@link #lock}s them, so that two such changes of one pair
 * (two crossing requests, a request and a block) happen one after the other and each sees what the other wrote.
 */
final class PairChanges {

    private final UserStore users = new UserStore();
    private final PairLock pairLock = new PairLock();
    private final ContactStore contacts = new ContactStore();
    private final RequestStore requests = new RequestStore();

    /** Both users' rows locked ({@link PairLock}). @return false when {@code otherUserId} does not exist */
    boolean lock(Connection connection, String actorId, String otherUserId) throws SQLException {
        return pairLock.lock(connection, actorId, otherUserId);
    }

    /** Accepts a pending request: the two become contacts. @return the request as accepted, and the events */
    Accepted accept(Connection connection, ContactRequest request, Instant now) throws SQLException {
        ContactRequest accepted = request.decided(RequestState.ACCEPTED);
        requests.decide(connection, request.requestId(), RequestState.ACCEPTED, now);
        contacts.insertPair(connection, request.fromUserId(), request.toUserId(), now);
        UserProfile from = profile(connection, request.fromUserId());
        UserProfile to = profile(connection, request.toUserId());
        return new Accepted(accepted, new ContactStore.Contact(from.userId(), from.username(), from.displayName(),
                from.avatarMediaId(), now),
                ContactEvents.accepted(accepted, from, to, now));
    }

    /** @param requester the requester as the recipient now sees them: their new contact */
    record Accepted(ContactRequest request, ContactStore.Contact requester, List<Addressed> events) {
    }

    List<Addressed> decline(Connection connection, ContactRequest request, Instant now) throws SQLException {
        requests.decide(connection, request.requestId(), RequestState.DECLINED, now);
        return ContactEvents.declined(request.decided(RequestState.DECLINED), now);
    }

    /** Declines the pending requests between the two, either way. */
    List<Addressed> declineBetween(Connection connection, String userA, String userB, Instant now)
            throws SQLException {
        List<Addressed> events = new ArrayList<>();
        for (Optional<ContactRequest> pending : List.of(requests.pending(connection, userA, userB),
                requests.pending(connection, userB, userA))) {
            if (pending.isPresent()) {
                events.addAll(decline(connection, pending.get(), now));
            }
        }
        return events;
    }

    /** Ends the contact of the two, both rows. @return its events; empty when they were not contacts */
    Optional<List<Addressed>> endContact(Connection connection, String userA, String userB, Instant now)
            throws SQLException {
        Optional<Instant> since = contacts.deletePair(connection, userA, userB);
        if (since.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(ContactEvents.removed(profile(connection, userA), profile(connection, userB), since.get(),
                now));
    }

    /** The blocker's own event for a block placed or lifted between the two (locked). */
    Addressed blockChanged(Connection connection, String blockerId, String blockedId, boolean placed, Instant now)
            throws SQLException {
        return ContactEvents.blockChanged(blockerId, profile(connection, blockedId), placed, now);
    }

    private UserProfile profile(Connection connection, String userId) throws SQLException {
        return users.find(connection, userId).orElseThrow(() -> new IllegalStateException("locked user vanished: "
                + userId));
    }
}
