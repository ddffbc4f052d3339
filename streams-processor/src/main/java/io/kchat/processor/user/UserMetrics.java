package io.kchat.processor.user;

/**
 * What the user side counts: kept out of its logic, which stays free of any metrics library. Counted when
 * processed: a transaction aborted and processed again counts twice.
 */
public interface UserMetrics {

    /** Counts nothing: for tests that do not look. */
    UserMetrics NONE = () -> {
    };

    /**
     * A conversation-side record at or below the user's mark for its {@code chat.inbound} partition, dropped:
     * the replay of an aborted transaction or a fenced zombie's write. Steady growth means aborts.
     */
    void repeatDropped();
}
