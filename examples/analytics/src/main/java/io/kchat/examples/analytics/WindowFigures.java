package io.kchat.examples.analytics;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** What the example reports for one conversation in one closed window. */
public record WindowFigures(String conversationId, Instant windowStart, Duration window, long messages, int senders,
                            long chars) {

    private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'")
            .withZone(ZoneOffset.UTC);

    /** e.g. {@code conversation c-123 minute 2026-11-22T09:41Z: 17 messages, 3 senders, 812 chars}. */
    public String describe() {
        String when = window.equals(Duration.ofMinutes(1))
                ? "minute " + MINUTE.format(windowStart)
                : "window " + windowStart + " +" + window;
        return "conversation " + conversationId + " " + when + ": " + messages + " messages, " + senders
                + " senders, " + chars + " chars";
    }
}
