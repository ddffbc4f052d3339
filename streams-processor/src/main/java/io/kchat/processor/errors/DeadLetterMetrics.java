package io.kchat.processor.errors;

/**
 * What the processor counts about records it sets aside; kept out of the handlers, which stay free of any metrics
 * library.
 */
public interface DeadLetterMetrics {

    /** Counts nothing: for tests that do not look. */
    DeadLetterMetrics NONE = (sourceTopic, stage) -> {
    };

    /** A record of {@code sourceTopic} written to the dead-letter topic after failing in {@code stage}. */
    void deadLettered(String sourceTopic, FailureStage stage);

    /** Where a record failed. */
    enum FailureStage {
        /** Its key or value could not be decoded: no attempt can succeed. */
        DESERIALIZATION,
        /** Processing it threw on every attempt. */
        PROCESSING
    }
}
