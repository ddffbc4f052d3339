package io.kchat.assistant.model;

import java.time.Duration;
import java.util.Optional;

/**
 * Why one attempt failed, for the retry decision and the logs. The message names only what we saw (a status, which
 * timeout), never the provider's body, the URL or the key.
 */
final class AttemptFailure extends Exception {

    private final FailureKind kind;
    private final boolean retryable;
    private final Duration retryAfter;

    AttemptFailure(FailureKind kind, boolean retryable, String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryable = retryable;
        this.retryAfter = retryAfter;
    }

    static AttemptFailure retryable(FailureKind kind, String message) {
        return new AttemptFailure(kind, true, message, null, null);
    }

    static AttemptFailure retryable(FailureKind kind, String message, Throwable cause) {
        return new AttemptFailure(kind, true, message, null, cause);
    }

    static AttemptFailure fatal(FailureKind kind, String message) {
        return new AttemptFailure(kind, false, message, null, null);
    }

    FailureKind kind() {
        return kind;
    }

    boolean retryable() {
        return retryable;
    }

    /** What the server asked us to wait before the next attempt, when it said. */
    Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    ModelFailure toModelFailure() {
        return new ModelFailure(kind.label(), kind.userMessage(), this);
    }
}
