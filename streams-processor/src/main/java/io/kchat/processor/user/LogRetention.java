package io.kchat.processor.user;

import io.kchat.events.ChatMessage;
import io.kchat.events.ContactChanged;
import io.kchat.events.KeysChanged;
import io.kchat.events.ConversationEvent;
import io.kchat.events.LoggedEvent;
import io.kchat.events.Receipt;
import io.kchat.events.SendRefused;
import io.kchat.events.SettingsChanged;
import io.kchat.events.UserEvent;
import io.kchat.events.UserState;
import java.time.Duration;
import java.time.Instant;

/**
 * The bounds of a user's log (guarantee 7): at most {@code maxEvents} events, none older than
 * {@code maxAge} before the newest one. Age is measured on the events' own timestamps, never on the
 * wall clock (D2), so a replay trims exactly the same events. A device whose cursor falls behind the
 * oldest kept event gets {@code gap} on replay.
 */
final class LogRetention {

    private final int maxEvents;
    private final Duration maxAge;

    LogRetention(int maxEvents, Duration maxAge) {
        this.maxEvents = maxEvents;
        this.maxAge = maxAge;
    }

    /** Applies both bounds after {@code appended} became the newest event of the log. */
    void trimAfterAppend(UserLog log, String userId, UserState state, UserEvent appended) {
        long newOldest = Math.max(state.getOldestUserSeq(), state.getLastUserSeq() - maxEvents + 1);
        Instant appendedAt = timestamp(appended);
        if (appendedAt != null) {
            Instant cutoff = appendedAt.minus(maxAge);
            // Only a prefix can go (the log is contiguous). Events of different conversations may carry
            // slightly out-of-order stamps; trimming stops at the first one young enough.
            while (newOldest < state.getLastUserSeq() && isOlderThan(log.get(userId, newOldest), cutoff)) {
                newOldest++;
            }
        }
        log.trimBelow(userId, state, newOldest);
    }

    private static boolean isOlderThan(LoggedEvent event, Instant cutoff) {
        Instant at = event == null ? null : timestamp(event.getEvent());
        return at != null && at.isBefore(cutoff);
    }

    /** The event's own timestamp, or null for a payload this version does not know (never trimmed by age). */
    static Instant timestamp(UserEvent event) {
        return switch (event.getPayload()) {
            case ChatMessage message -> message.getTs();
            case SendRefused refused -> refused.getTs();
            case ConversationEvent change -> change.getTs();
            case Receipt receipt -> receipt.getTs();
            case ContactChanged contact -> contact.getTs();
            case KeysChanged keys -> keys.getTs();
            case SettingsChanged settings -> settings.getTs();
            default -> null;
        };
    }
}
