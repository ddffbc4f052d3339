package io.kchat.fault;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polling until a condition holds. An interrupt (e.g. JUnit's {@code @Timeout}) ends the wait at once. */
final class Waits {

    private static final Duration POLL = Duration.ofMillis(250);

    private Waits() {
    }

    /** @throws AssertionError with {@code failure} when the condition does not hold within {@code timeout} */
    static void until(BooleanSupplier condition, Duration timeout, String failure) {
        until(condition, timeout, () -> failure);
    }

    /** As {@link #until(BooleanSupplier, Duration, String)}, the message made when it fails. */
    static void until(BooleanSupplier condition, Duration timeout, Supplier<String> failure) {
        if (!poll(condition, timeout)) {
            throw new AssertionError(failure.get() + " (waited " + timeout + ")");
        }
    }

    /**
     * That the condition holds all along {@code duration}, looked at every poll: for what must not happen.
     *
     * @throws AssertionError with {@code failure} at the first poll it does not hold
     */
    static void throughout(BooleanSupplier condition, Duration duration, String failure) {
        if (poll(() -> !condition.getAsBoolean(), duration)) {
            throw new AssertionError(failure);
        }
    }

    /** Whether the condition held within {@code timeout}. */
    static boolean poll(BooleanSupplier condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting", e);
            }
        }
        return true;
    }
}
