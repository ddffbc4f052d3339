package io.kchat.delivery.push;

import java.sql.SQLException;

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
    private T value;

    Lazy(Source<T> source) {
        this.source = source;
    }

    synchronized T get() throws SQLException, InterruptedException {
        if (value == null) {
            value = source.get();
        }
        return value;
    }
}
