package io.kchat.processor.errors;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.ProcessorStateException;

/**
 * Failures that say nothing about the record being processed when they surface: the Kafka clients' and the broker's
 * errors (an unreachable broker's timeouts, a fenced producer, a refused authorization, and a send error of an earlier
 * record, which the record collector reports at a later one) and the state stores' (disk, RocksDB). Counting those
 * against the record would dead-letter a healthy one; they replace the stream thread, uncounted, however often.
 */
final class RecordIndependentFailure {

    private RecordIndependentFailure() {
    }

    /** Whether {@code failure}, or any of its causes, is one of them. */
    static boolean matches(Throwable failure) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
            if (cause instanceof ApiException || cause instanceof ProcessorStateException) {
                return true;
            }
        }
        return false;
    }
}
