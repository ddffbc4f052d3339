package io.kchat.delivery.push;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A value computed at most once, by whichever thread asks first (the payload of a PushDue, shared by its devices'
 * pushes); a failure is not kept, so the next to ask tries again.
 */
final class Lazy<T> {

    @FunctionalInterface
    interface Source<T> {
        T get() throws SQLException, InterruptedException;
    }

    private final Source<T> source;
    /** Not synchronized: a virtual thread blocked on JDBC inside it would pin its carrier before JDK 24. */
    private final ReentrantLock lock = new ReentrantLock();
    private T value;

    Lazy(Source<T> source) {
        this.source = source;
    }

    T get() throws SQLException, InterruptedException {
        lock.lockInterruptibly();
        try {
            if (value == null) {
                value = source.get();
            }
            return value;
        } finally {
            lock.unlock();
        }
    }
}
