package io.kchat.bench;

import java.time.Duration;

/**
 * When each send of an open-loop run is due: the i-th at {@code start + i / rate}, whatever happened to the
 * sends before it. Latency is taken from these intended times, so a stall delays every send due during it and
 * shows in the percentiles instead of being hidden by a sender that waited (coordinated omission).
 *
 * <p>Sends due in the warm-up are made and checked for loss and order, but not timed.
 */
record OpenLoopSchedule(long startNanos, double ratePerSecond, Duration warmup, Duration measured) {

    OpenLoopSchedule {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + ratePerSecond);
        }
        if (warmup.isNegative() || measured.isNegative() || measured.isZero()) {
            throw new IllegalArgumentException("warm-up must be >= 0 and the measured duration > 0");
        }
    }

    /** Number of sends in the warm-up and the measured window together. */
    int total() {
        long count = (long) Math.ceil(ratePerSecond * (warmup.toNanos() + measured.toNanos()) / 1e9);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("too many sends for one run: " + count);
        }
        return (int) count;
    }

    long intendedNanos(int index) {
        return startNanos + (long) (index * 1e9 / ratePerSecond);
    }

    long measureStartNanos() {
        return startNanos + warmup.toNanos();
    }

    long measureEndNanos() {
        return measureStartNanos() + measured.toNanos();
    }

    /** Whether the send is timed: due inside the measured window, not in the warm-up. */
    boolean isMeasured(int index) {
        long due = intendedNanos(index);
        return due >= measureStartNanos() && due < measureEndNanos();
    }

    /** Whether an arrival counts toward delivered msgs/s: it happened inside the measured window. */
    boolean inWindow(long arrivedNanos) {
        return arrivedNanos >= measureStartNanos() && arrivedNanos < measureEndNanos();
    }
}
