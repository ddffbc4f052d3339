package io.kchat.gateway.conversations;

import static io.kchat.gateway.http.Refusals.refused;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Partial changes of a member's settings, and how a timed mute reads once its time is up. */
class SettingsChangeTest {

    private static final Instant NOW = Instant.parse("2030-01-01T12:00:00Z");
    private static final Instant LATER = NOW.plusSeconds(3600);

    @Test
    void absentFieldsKeepTheirValue() {
        ConversationSettings pinnedArchived = new ConversationSettings(false, null, true, true);
        assertEquals(new ConversationSettings(true, null, true, true),
                SettingsChange.of(true, null, null, null, NOW).applyTo(pinnedArchived, NOW));
        assertEquals(new ConversationSettings(false, null, false, true),
                SettingsChange.of(null, null, false, null, NOW).applyTo(pinnedArchived, NOW));
        assertEquals(pinnedArchived, SettingsChange.of(null, null, null, null, NOW).applyTo(pinnedArchived, NOW));
    }

    @Test
    void mutedUntilMutesUntilThenAndMutedFalseClearsIt() {
        ConversationSettings timed = SettingsChange.of(null, LATER.toString(), null, null, NOW)
                .applyTo(ConversationSettings.DEFAULT, NOW);
        assertEquals(new ConversationSettings(true, LATER, false, false), timed);
        assertEquals(timed, timed.asOf(LATER.minusMillis(1)));
        assertEquals(ConversationSettings.DEFAULT, timed.asOf(LATER), "an expired mute reads as not muted");
        assertEquals(new ConversationSettings(false, null, true, false),
                SettingsChange.of(null, null, true, null, LATER).applyTo(timed, LATER),
                "a change after the expiry starts from not muted");
        assertEquals(ConversationSettings.DEFAULT, SettingsChange.of(false, null, null, null, NOW).applyTo(timed, NOW));
        assertEquals(new ConversationSettings(true, null, false, false),
                SettingsChange.of(true, null, null, null, NOW).applyTo(timed, NOW), "muted alone: until unmuted");
        assertEquals(new ConversationSettings(true, LATER, false, false),
                SettingsChange.of(true, LATER.toString(), null, null, NOW).applyTo(ConversationSettings.DEFAULT, NOW));
    }

    @Test
    void aPastMalformedOrContradictoryMutedUntilIsRefused() {
        for (String until : new String[] {NOW.toString(), NOW.minusSeconds(1).toString(), "tomorrow",
                "2030-01-01 13:00:00", ""}) {
            var e = refused(() -> SettingsChange.of(null, until, null, null, NOW));
            assertEquals(400, e.status(), until);
            assertEquals("invalid mutedUntil", e.title(), until);
        }
        assertEquals(400, refused(() -> SettingsChange.of(false, LATER.toString(), null, null, NOW)).status());
    }
}
