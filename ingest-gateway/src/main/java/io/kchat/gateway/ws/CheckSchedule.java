package io.kchat.gateway.ws;

/**
 * When one session is due for a check ({@link SessionChecks}): once the user side has not reached it for an interval
 * (nothing routed to it, or an event held behind a missing one that long), at most once an interval; at once when a
 * check was requested. Nothing is due before SessionOpened is published: until then the user side cannot know the
 * session. Times are {@code System.nanoTime()} values. Thread-safe.
 */
final class CheckSchedule {

    /**
     * Checks sent in a row, with no progress in between, while the replay is incomplete or an event waits behind a
     * hole: past this the session is given up (1011) and its client reconnects.
     */
    static final int MAX_FRUITLESS_CHECKS = 3;

    enum Verdict { NOT_DUE, DUE, GIVE_UP }

    private boolean opened;
    private boolean checkRequested;
    private long lastRoutedNanos;
    private long lastCheckNanos;
    private int fruitlessChecks;
    private long heldAtLastCheck;

    /** SessionOpened was published: the user side knows the session from now on. */
    synchronized void opened(long nowNanos) {
        opened = true;
        lastRoutedNanos = nowNanos;
        lastCheckNanos = nowNanos;
    }

    /** The user side reached the session (typing and presence come from elsewhere and do not count). */
    synchronized void routed(long nowNanos) {
        lastRoutedNanos = nowNanos;
    }

    /** Its directory row was reaped while it was open and has been written again: check it at the next round. */
    synchronized void requestCheck() {
        checkRequested = true;
    }

    /** Whether a check is due at {@code nowNanos} for a session whose stream stands at {@code position}. */
    synchronized Verdict due(long nowNanos, long intervalNanos, OrderedDelivery.Position position) {
        if (!opened) {
            return Verdict.NOT_DUE;
        }
        long holeSince = position.holeSinceNanos();
        boolean waited = nowNanos - lastRoutedNanos >= intervalNanos
                || holeSince != 0 && nowNanos - holeSince >= intervalNanos;
        if (!checkRequested && !(waited && nowNanos - lastCheckNanos >= intervalNanos)) {
            return Verdict.NOT_DUE;
        }
        checkRequested = false;
        lastCheckNanos = nowNanos;
        boolean waiting = !position.synced() || holeSince != 0;
        fruitlessChecks = waiting && position.receivedUpTo() == heldAtLastCheck ? fruitlessChecks + 1 : 0;
        heldAtLastCheck = position.receivedUpTo();
        // the user side sends what a check finds missing once more, no more (it cannot tell lost from late); if that
        // was lost too, a new session's replay is the way left
        return fruitlessChecks > MAX_FRUITLESS_CHECKS ? Verdict.GIVE_UP : Verdict.DUE;
    }
}
