package io.kchat.bench;

/**
 * Makes the sends of an {@link OpenLoopSchedule} on the calling thread: each waits for its intended time, never
 * for an answer to an earlier one. A pacer that falls behind (a slow socket write, a GC pause in this JVM) sends
 * what is due at once; the lag is reported, and the latency of those sends still counts from the intended time.
 */
final class Pacer {

    /** Makes send number {@code index}; must not block on the system under test. */
    @FunctionalInterface
    interface Send {
        void send(int index, long intendedNanos, long actualNanos);
    }

    private final NanoClock clock;

    Pacer(NanoClock clock) {
        this.clock = clock;
    }

    /** @return the number of sends made (fewer than scheduled only when the thread was interrupted) */
    int run(OpenLoopSchedule schedule, Send send) {
        int total = schedule.total();
        for (int i = 0; i < total; i++) {
            long due = schedule.intendedNanos(i);
            if (clock.nanoTime() < due) {
                clock.parkUntil(due);
            }
            if (Thread.currentThread().isInterrupted()) {
                return i;
            }
            send.send(i, due, clock.nanoTime());
        }
        return total;
    }
}
