package io.kchat.bench;

import java.util.concurrent.locks.LockSupport;

/** Monotonic time and waiting for it, injected so that the pacer can be tested without waiting. */
interface NanoClock {

    NanoClock SYSTEM = new NanoClock() {
        @Override
        public long nanoTime() {
            return System.nanoTime();
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            // parkNanos may return early (spurious wake-up): loop until the deadline has passed
            for (long left = deadlineNanos - System.nanoTime(); left > 0; left = deadlineNanos - System.nanoTime()) {
                LockSupport.parkNanos(left);
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
            }
        }
    };

    long nanoTime();

    /** Returns at or after {@code deadlineNanos}, or early when the thread is interrupted. */
    void parkUntil(long deadlineNanos);
}
