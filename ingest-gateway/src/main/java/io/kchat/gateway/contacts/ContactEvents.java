package io.kchat.gateway.contacts;

import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.ContactRequestView;
import io.kchat.events.ContactView;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.accounts.UserProfile;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A contact change as the events its two users receive (the {@code contact} frame), one per user, each with an
 * event id of its own: the user side appends each id once, however many copies the outbox and the direct publish
 * deliver.
 */
final class ContactEvents {

    /** One event for one user: the record key and the chat.user-inbound value. */
    record Addressed(String userId, UserCommand command) {

        ContactChanged change() {
            return (ContactChanged) ((UserEvent) command.getCommand()).getPayload();
        }
    }

    private ContactEvents() {
    }

    /** A new pending request, to its sender and its recipient. */
    static List<Addressed> requested(ContactRequest request, Instant ts) {
        return List.of(event(request.fromUserId(), ContactEventKind.REQUEST, request, null, ts),
                event(request.toUserId(), ContactEventKind.REQUEST, request, null, ts));
    }

    /** An accepted request: each user gets the other as their new contact. */
    static List<Addressed> accepted(ContactRequest request, UserProfile from, UserProfile to, Instant since) {
        return List.of(event(from.userId(), ContactEventKind.ACCEPTED, request, contact(to, since), since),
                event(to.userId(), ContactEventKind.ACCEPTED, request, contact(from, since), since));
    }

    static List<Addressed> declined(ContactRequest request, Instant ts) {
        return List.of(event(request.fromUserId(), ContactEventKind.DECLINED, request, null, ts),
                event(request.toUserId(), ContactEventKind.DECLINED, request, null, ts));
    }

    /** A contact ended: each user is told which one, as they saw them ({@code since} when it began). */
    static List<Addressed> removed(UserProfile a, UserProfile b, Instant since, Instant ts) {
        return List.of(event(a.userId(), ContactEventKind.REMOVED, null, contact(b, since), ts),
                event(b.userId(), ContactEventKind.REMOVED, null, contact(a, since), ts));
    }

    /**
     * A block placed or lifted, to the blocker alone (their other devices keep their lists and composers right); the
     * blocked user is never told. {@code contact} is the blocked user, {@code since} when the block was placed or
     * lifted.
     */
    static Addressed blockChanged(String blockerId, UserProfile blocked, boolean placed, Instant ts) {
        return event(blockerId, placed ? ContactEventKind.BLOCKED : ContactEventKind.UNBLOCKED, null,
                contact(blocked, ts), ts);
    }

    private static Addressed event(String userId, ContactEventKind kind, ContactRequest request, ContactView contact,
                                   Instant ts) {
        ContactChanged change = new ContactChanged(UUID.randomUUID().toString(), kind, view(request), contact, ts);
        return new Addressed(userId, new UserCommand(new UserEvent(userId, change)));
    }

    private static ContactRequestView view(ContactRequest request) {
        return request == null ? null : new ContactRequestView(request.requestId(), request.fromUserId(),
                request.toUserId(), request.message(), request.state(), request.ts());
    }

    private static ContactView contact(UserProfile user, Instant since) {
        return new ContactView(user.userId(), user.username(), user.displayName(), since);
    }
}
