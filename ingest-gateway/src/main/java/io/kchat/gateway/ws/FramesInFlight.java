package io.kchat.gateway.ws;

/**
 * The client frames of one socket that were taken and are not answered yet: a drain ({@link OpenSockets}) stops
 * taking new ones and waits for these. Thread-safe.
 */
final class FramesInFlight {

    private int inFlight;
    private boolean taking = true;

    /** Counts a frame in until {@link #answered()}; false once the node drains (the frame is refused, not taken). */
    synchronized boolean take() {
        if (!taking) {
            return false;
        }
        inFlight++;
        return true;
    }

    /** The answer of a taken frame ({@code ok} or {@code error}) is queued, or none is due. */
    synchronized void answered() {
        inFlight--;
    }

    /** No frame is taken from now on. Returns the frames still waiting for their answer. */
    synchronized int stopTaking() {
        taking = false;
        return inFlight;
    }

    synchronized int count() {
        return inFlight;
    }
}
