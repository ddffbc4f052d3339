package io.kchat.processor.user;

/**
 * What the user side counts: kept out of its logic, which stays free of any metrics library. Counted when
 * processed: a transaction aborted and processed again counts twice.
 */
public interface UserMetrics {

    /** Counts nothing: for tests that do not look. */
    UserMetrics NONE = new UserMetrics() {
        @Override
        public void repeatDropped() {
        }

        @Override
        public void sessionChecked(SessionCheckOutcome outcome) {
        }

        @Override
        public void routeDropped() {
        }
    };

    /**
     * A conversation-side record at or below the user's mark for its {@code chat.inbound} partition, dropped:
     * the replay of an aborted transaction or a fenced zombie's write. Steady growth means aborts.
     */
    void repeatDropped();

    /** A gateway's SessionCheck answered: anything but {@link SessionCheckOutcome#KNOWN} means routing was healed. */
    void sessionChecked(SessionCheckOutcome outcome);

    /**
     * Items for one node's sessions not written because the node has no egress topic ({@link NodeEgress}): the node
     * is gone, and its sessions' devices get the durable ones by replay when they reconnect.
     */
    void routeDropped();
}
