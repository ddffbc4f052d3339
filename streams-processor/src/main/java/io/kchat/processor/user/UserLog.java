package io.kchat.processor.user;

import io.kchat.events.LoggedEvent;
import io.kchat.events.UserState;
import io.kchat.processor.streams.SortableKeys;
import java.util.function.Consumer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * One user's log inside the shared log store: keys are {@code userId NUL zero-padded userSeq}, so a
 * user's events are contiguous and in userSeq order for range scans.
 */
final class UserLog {

    private final KeyValueStore<String, LoggedEvent> store;

    UserLog(KeyValueStore<String, LoggedEvent> store) {
        this.store = store;
    }

    void append(String userId, LoggedEvent event) {
        store.put(key(userId, event.getUserSeq()), event);
    }

    /** The user's event at {@code userSeq}, or null when it is not (or no longer) kept. */
    LoggedEvent get(String userId, long userSeq) {
        return store.get(key(userId, userSeq));
    }

    /** Calls {@code each} for the user's events with from <= userSeq <= to, in order. */
    void forEach(String userId, long from, long to, Consumer<LoggedEvent> each) {
        if (from > to) {
            return;
        }
        try (KeyValueIterator<String, LoggedEvent> events = store.range(key(userId, from), key(userId, to))) {
            while (events.hasNext()) {
                KeyValue<String, LoggedEvent> next = events.next();
                each.accept(next.value);
            }
        }
    }

    /** Deletes the user's events below {@code newOldest} and records the new bound in the state. */
    void trimBelow(String userId, UserState state, long newOldest) {
        for (long seq = state.getOldestUserSeq(); seq < newOldest; seq++) {
            // put(key, null) deletes without what delete(key) also does: read the old value from RocksDB and
            // decode it, only to return it. Trimming runs for nearly every event, after its ack
            store.put(key(userId, seq), null);
        }
        state.setOldestUserSeq(Math.max(state.getOldestUserSeq(), newOldest));
        PendingDeliveries.trimmedBelow(state, state.getOldestUserSeq());
    }

    /** The layout is persisted (stores and changelogs): the user id, NUL, userSeq zero-padded to 19 digits. */
    static String key(String userId, long userSeq) {
        StringBuilder key = new StringBuilder(userId.length() + 1 + SortableKeys.DIGITS).append(userId).append('\u0000');
        return SortableKeys.appendPadded(key, userSeq).toString();
    }
}
