package io.kchat.processor.user;

import io.kchat.events.ContactChanged;
import io.kchat.events.KeysChanged;
import io.kchat.events.SettingsChanged;
import io.kchat.events.UserEvent;
import io.kchat.events.UserState;
import java.util.List;

/**
 * Drops the second copy of an event that its writer sends twice on purpose: a {@link ContactChanged},
 * {@link KeysChanged} or {@link SettingsChanged} goes to chat.user-inbound from the gateway and again from the outbox
 * relay (D1's safety net), with the same {@code eventId}. The copies arrive close together (the relay lags the gateway
 * by its poll interval, or replays a little after a restart), so remembering the last {@value #KEPT} ids per user is enough. Events without an id of
 * their own (messages, receipts, conversation changes) are recognised upstream, by seq, version or origin.
 */
final class RecentEvents {

    static final int KEPT = 64;

    private RecentEvents() {
    }

    /** True the first time an event's id is seen for this user, and then remembers it; true for events without one. */
    static boolean firstTime(UserState state, UserEvent event) {
        String eventId = switch (event.getPayload()) {
            case ContactChanged contact -> contact.getEventId();
            case KeysChanged keys -> keys.getEventId();
            case SettingsChanged settings -> settings.getEventId();
            default -> null;
        };
        if (eventId == null) {
            return true;
        }
        List<String> ids = state.getRecentEventIds();
        if (ids.contains(eventId)) {
            return false;
        }
        ids.add(eventId);
        if (ids.size() > KEPT) {
            ids.removeFirst();
        }
        return true;
    }
}
