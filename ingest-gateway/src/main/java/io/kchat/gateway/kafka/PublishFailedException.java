package io.kchat.gateway.kafka;

/**
 * Kafka did not acknowledge a write in time (or refused it): the event may or may not be in the log.
 * Checked, so that every caller decides what its client is told and what happens to state it committed.
 */
public final class PublishFailedException extends Exception {
    public PublishFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
