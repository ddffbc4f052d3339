package io.kchat.gateway.conversations;

import java.time.Instant;

/**
 * A member's own settings of a conversation (conversation_settings; no row: {@link #DEFAULT}), also as the API shows
 * them. {@code mutedUntil} with {@code muted}: muted until then; absent with {@code muted}: until unmuted.
 */
public record ConversationSettings(boolean muted, Instant mutedUntil, boolean pinned, boolean archived) {

    public static final ConversationSettings DEFAULT = new ConversationSettings(false, null, false, false);

    public ConversationSettings {
        if (!muted && mutedUntil != null) {
            throw new IllegalArgumentException("mutedUntil without muted");
        }
    }

    /** As they read at {@code now}: a mute whose time has passed reads as not muted. */
    public ConversationSettings asOf(Instant now) {
        if (muted && mutedUntil != null && !mutedUntil.isAfter(now)) {
            return new ConversationSettings(false, null, pinned, archived);
        }
        return this;
    }
}
