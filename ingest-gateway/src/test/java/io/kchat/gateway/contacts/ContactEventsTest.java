package io.kchat.gateway.contacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.kchat.events.ContactChanged;
import io.kchat.events.ContactEventKind;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.gateway.accounts.UserProfile;
import io.kchat.gateway.contacts.ContactEvents.Addressed;
import io.kchat.schemas.AvroSerde;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ContactEventsTest {

    private static final Instant SENT = Instant.parse("2026-03-01T10:00:00Z");
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    private static final UserProfile ALICE = new UserProfile("a", "alice", "Alice");
    private static final UserProfile BOB = new UserProfile("b", null, "Bob");
    private static final ContactRequest PENDING = new ContactRequest("r1", "a", "b", "hi", "pending", SENT);

    @Test
    void bothUsersAreToldEachWithAnEventIdOfItsOwn() {
        List<Addressed> events = ContactEvents.requested(PENDING, SENT);

        assertEquals(List.of("a", "b"), events.stream().map(Addressed::userId).toList());
        assertNotEquals(events.get(0).change().getEventId(), events.get(1).change().getEventId());
        for (Addressed event : events) {
            UserEvent userEvent = (UserEvent) event.command().getCommand();
            assertEquals(event.userId(), userEvent.getUserId(), "addressed to the user it is keyed by");
            assertEquals(ContactEventKind.REQUEST, event.change().getKind());
            assertEquals("pending", event.change().getRequest().getState());
            assertEquals("hi", event.change().getRequest().getMessage());
            assertNull(event.change().getContact());
        }
    }

    @Test
    void anAcceptanceGivesEachUserTheOtherAsContact() {
        List<Addressed> events = ContactEvents.accepted(PENDING.decided(RequestState.ACCEPTED), ALICE, BOB, NOW);

        ContactChanged toAlice = events.get(0).change();
        ContactChanged toBob = events.get(1).change();
        assertEquals("a", events.get(0).userId());
        assertEquals("b", toAlice.getContact().getUserId());
        assertNull(toAlice.getContact().getUsername(), "bob has no username yet");
        assertEquals("a", toBob.getContact().getUserId());
        assertEquals("alice", toBob.getContact().getUsername());
        assertEquals(NOW, toBob.getContact().getSince());
        assertEquals("accepted", toBob.getRequest().getState());
        assertEquals(SENT, toBob.getRequest().getTs(), "the request keeps the time it was sent");
    }

    @Test
    void aRemovalNamesTheOtherUserAndWhenTheContactBegan() {
        List<Addressed> events = ContactEvents.removed(ALICE, BOB, SENT, NOW);

        assertEquals(ContactEventKind.REMOVED, events.get(0).change().getKind());
        assertEquals("b", events.get(0).change().getContact().getUserId());
        assertEquals("a", events.get(1).change().getContact().getUserId());
        assertEquals(SENT, events.get(1).change().getContact().getSince());
        assertNull(events.get(1).change().getRequest());
        assertEquals(NOW, events.get(1).change().getTs());
    }

    @Test
    void theCommandsSurviveTheTopicsSerde() {
        AvroSerde<UserCommand> serde = AvroSerde.of(UserCommand.class);
        for (Addressed event : ContactEvents.declined(PENDING.decided(RequestState.DECLINED), NOW)) {
            UserCommand decoded = serde.decode(serde.encode(event.command()));
            assertEquals(event.command(), decoded);
            assertEquals("declined", event.change().getRequest().getState());
        }
    }
}
