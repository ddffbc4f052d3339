package io.kchat.assistant.model;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * The pause before a retry: the server's {@code Retry-After} when it sent one, else exponential backoff with full
 * jitter (a random pause up to a ceiling that doubles, so that many workers failing together do not come back
 * together); never more than the maximum.
 */
final class RetryDelays {

    private final Duration backoff;
    private final Duration max;
    private final DoubleSupplier jitter;

    /** {@code jitter} yields values in [0, 1). */
    RetryDelays(Duration backoff, Duration max, DoubleSupplier jitter) {
        this.backoff = backoff;
        this.max = max;
        this.jitter = jitter;
    }

    /** The pause before retry number {@code retry} (1 before the second attempt). */
    Duration before(int retry, Optional<Duration> retryAfter) {
        if (retryAfter.isPresent()) {
            return min(retryAfter.get(), max);
        }
        Duration ceiling = backoff;
        for (int i = 1; i < retry && ceiling.compareTo(max) < 0; i++) {
            ceiling = ceiling.multipliedBy(2);
        }
        ceiling = min(ceiling, max);
        return Duration.ofNanos((long) (ceiling.toNanos() * jitter.getAsDouble()));
    }

    /** A {@code Retry-After} value: delay-seconds or an HTTP date (RFC 9110 §10.2.3); empty when it is neither. */
    static Optional<Duration> retryAfter(String value, Instant now) {
        String text = value.strip();
        if (text.matches("\\d{1,9}")) {
            return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
        }
        try {
            Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
