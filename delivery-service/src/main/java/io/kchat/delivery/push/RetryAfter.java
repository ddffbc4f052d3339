package io.kchat.delivery.push;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads {@code Retry-After} (RFC 9110 §10.2.3): a number of seconds, or an HTTP date. */
final class RetryAfter {

    private RetryAfter() {
    }

    /** The pause it asks for from {@code now}; empty when absent or unreadable, zero for a date already past. */
    static Optional<Duration> parse(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return Optional.empty();
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            try {
                return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
            } catch (NumberFormatException e) {
                // more digits than a long: longer than any cap anyway
                return Optional.of(Duration.ofSeconds(Long.MAX_VALUE / 1_000_000_000L));
            }
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            Duration pause = Duration.between(now, at);
            return Optional.of(pause.isNegative() ? Duration.ZERO : pause);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
