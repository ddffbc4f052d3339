package io.kchat.processor.streams;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Which keys hold something back, and until when, as a store of its own: key {@code zero-padded due ms|id}, value the
 * id, so that finding the due ones reads only those. The earliest due time is also kept in memory, rebuilt from the
 * store when the task starts, so that asking "is anything due?" on every record costs no store read; it mirrors the
 * store, so it is as deterministic as the store's content (D2).
 */
public final class DueIndex {

    private KeyValueStore<String, String> store;
    private long earliest = Long.MAX_VALUE;

    /** Call from the processor's init: the store is the task's, restored. */
    public void init(KeyValueStore<String, String> store) {
        this.store = store;
        this.earliest = Long.MAX_VALUE;
        try (KeyValueIterator<String, String> all = store.all()) {
            if (all.hasNext()) {
                earliest = dueOf(all.next().key);
            }
        }
    }

    public void put(long due, String id) {
        store.put(key(due, id), id);
        earliest = Math.min(earliest, Math.max(0, due));
    }

    public void remove(long due, String id) {
        store.delete(key(due, id));
        // earliest may now be too early: takeDue at that time finds nothing and sets it right
    }

    /** Whether anything may be due at {@code now}: false for certain, true when {@link #takeDue} is worth a read. */
    public boolean anyDue(long now) {
        return earliest <= now;
    }

    /** Whether anything is held at all. */
    public boolean anyHeld() {
        try (KeyValueIterator<String, String> all = store.all()) {
            return all.hasNext();
        }
    }

    /** The ids due at {@code now}, in due order, taken out of the index. */
    public List<String> takeDue(long now) {
        List<KeyValue<String, String>> due = new ArrayList<>();
        // keys carry a '|' after the digits, so every key due at or before now sorts below the bare digits of now + 1
        try (KeyValueIterator<String, String> found = store.range(null, digits(now + 1))) {
            found.forEachRemaining(due::add);
        }
        due.forEach(entry -> store.delete(entry.key));
        earliest = Long.MAX_VALUE;
        try (KeyValueIterator<String, String> rest = store.all()) {
            if (rest.hasNext()) {
                earliest = dueOf(rest.next().key);
            }
        }
        return due.stream().map(entry -> entry.value).toList();
    }

    private static String key(long due, String id) {
        return padded(due).append('|').append(id).toString();
    }

    private static long dueOf(String key) {
        return Long.parseLong(key, 0, SortableKeys.DIGITS, 10);
    }

    private static String digits(long time) {
        return padded(time).toString();
    }

    private static StringBuilder padded(long time) {
        return SortableKeys.appendPadded(new StringBuilder(), Math.max(0, time));
    }
}
