package io.kchat.processor.errors;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How many times each recently failed record has failed, in memory and bounded: the least recently failed position
 * is forgotten once {@code capacity} positions are held.
 *
 * <p>Why memory is enough: a failed attempt replaces the stream thread, and under exactly-once the new thread
 * processes the record again from the last commit within seconds, in this process, so the count is here when it is
 * needed. A restart, a forgotten position, or the partition moving to another instance starts the count again: a
 * record then gets up to N more attempts, never an unbounded number, since each process or eviction that forgets it
 * has to see it fail N times before it is dead-lettered. Failures are rare, so a few hundred positions are plenty; a
 * store or topic for the counts would have to be written in the very transaction the failure aborts.
 *
 * <p>Thread-safe: Kafka Streams creates one exception handler per task, and tasks run on every stream thread.
 */
final class RecordAttempts {

    private final Map<RecordPosition, Integer> failures;

    RecordAttempts(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, not " + capacity);
        }
        this.failures = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<RecordPosition, Integer> eldest) {
                return size() > capacity;
            }
        };
    }

    /** Counts one more failure of the record at {@code position}; returns how many it has had, this one included. */
    synchronized int failed(RecordPosition position) {
        return failures.merge(position, 1, Integer::sum);
    }

    synchronized int size() {
        return failures.size();
    }
}
