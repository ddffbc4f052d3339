package io.kchat.gateway.conversations;

import io.kchat.gateway.errors.Refusal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/**
 * A partial update of a member's {@link ConversationSettings}: an absent (or null) field keeps its value.
 * {@code mutedUntil} mutes until then and must be in the future; {@code muted: true} alone mutes until unmuted;
 * {@code muted: false} unmutes (and clears {@code mutedUntil}, so it cannot come with one).
 */
record SettingsChange(Boolean muted, Instant mutedUntil, Boolean pinned, Boolean archived) {

    /** @throws Refusal 400 naming the field: a malformed or past {@code mutedUntil}, or one with {@code muted: false} */
    static SettingsChange of(Boolean muted, String mutedUntil, Boolean pinned, Boolean archived, Instant now) {
        Instant until = null;
        if (mutedUntil != null) {
            try {
                until = Instant.parse(mutedUntil).truncatedTo(ChronoUnit.MILLIS);
            } catch (DateTimeParseException e) {
                throw Refusal.invalid("invalid mutedUntil", "mutedUntil must be an ISO-8601 instant");
            }
            if (!until.isAfter(now)) {
                throw Refusal.invalid("invalid mutedUntil", "mutedUntil must be in the future");
            }
            if (Boolean.FALSE.equals(muted)) {
                throw Refusal.invalid("invalid mutedUntil", "mutedUntil cannot come with muted: false");
            }
        }
        return new SettingsChange(muted, until, pinned, archived);
    }

    /** The settings after this change to {@code current} (as it reads at {@code now}: an expired mute is none). */
    ConversationSettings applyTo(ConversationSettings current, Instant now) {
        ConversationSettings base = current.asOf(now);
        boolean nextMuted = base.muted();
        Instant nextUntil = base.mutedUntil();
        if (mutedUntil != null) {
            nextMuted = true;
            nextUntil = mutedUntil;
        } else if (muted != null) {
            nextMuted = muted;
            // muted: true alone mutes until unmuted, also over an earlier timed mute
            nextUntil = null;
        }
        return new ConversationSettings(nextMuted, nextUntil, pinned == null ? base.pinned() : pinned,
                archived == null ? base.archived() : archived);
    }
}
