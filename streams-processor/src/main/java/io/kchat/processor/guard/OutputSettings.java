package io.kchat.processor.guard;

import io.kchat.settings.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The settings that change what the processor writes for a given input and committed state: how long a client id is
 * remembered, how many events and how old a user's log keeps, and how long a conversation holds its receipts (which
 * decides which outputs an input record emits, and so the {@code Origin} indexes of those after them). A replay after a
 * crash repeats the output already written (D2) only under the settings that state was built with, so they are
 * recorded and compared at each start.
 *
 * <p>Written as {@link #description()},
 * {@code dedupeWindow=7d;userLogMaxEvents=10000;userLogMaxAge=30d;receiptInterval=1s}: its keys are not the variables'
 * names, so that renaming a variable does not read as a change of its value.
 */
public record OutputSettings(Duration dedupeWindow, int userLogMaxEvents, Duration userLogMaxAge,
                             Duration receiptInterval) {

    /**
     * One setting as the description writes it, and the variable an operator sets it with. {@code since}: true for a
     * setting added after the guard, which a description recorded before it lacks; that description is read as agreeing
     * with the current value, as for a first start (the guard cannot tell a drained upgrade from a crashed one).
     */
    private record Field(String key, String variable, Function<OutputSettings, String> written, boolean addedLater) {
    }

    private static final List<Field> FIELDS = List.of(
            new Field("dedupeWindow", "DEDUPE_WINDOW", settings -> Durations.format(settings.dedupeWindow()), false),
            new Field("userLogMaxEvents", "USER_LOG_MAX_EVENTS",
                    settings -> Integer.toString(settings.userLogMaxEvents()), false),
            new Field("userLogMaxAge", "USER_LOG_MAX_AGE", settings -> Durations.format(settings.userLogMaxAge()), false),
            new Field("receiptInterval", "RECEIPT_INTERVAL", settings -> Durations.format(settings.receiptInterval()),
                    true));

    /** A setting whose value differs from the recorded one, named by its variable, each value as it is written. */
    public record Change(String variable, String recorded, String current) {

        @Override
        public String toString() {
            return variable + " was " + recorded + ", is now " + current;
        }
    }

    public OutputSettings {
        Objects.requireNonNull(dedupeWindow, "dedupeWindow");
        Objects.requireNonNull(userLogMaxAge, "userLogMaxAge");
        Objects.requireNonNull(receiptInterval, "receiptInterval");
    }

    /** The canonical text: each key in a fixed order, durations in their shortest spelling, so equal settings read equal. */
    public String description() {
        return FIELDS.stream().map(field -> field.key() + "=" + field.written().apply(this))
                .collect(Collectors.joining(";"));
    }

    /**
     * The settings a {@link #description()} describes, a setting added since it was written taken from
     * {@code current}; {@link IllegalArgumentException} when it is not one (a key missing, unknown or repeated, a value
     * that does not read).
     */
    public static OutputSettings parse(String description, OutputSettings current) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String pair : description.strip().split(";", -1)) {
            int equals = pair.indexOf('=');
            if (equals < 0) {
                throw new IllegalArgumentException("not key=value: '" + pair + "'");
            }
            String key = pair.substring(0, equals).strip();
            if (values.put(key, pair.substring(equals + 1).strip()) != null) {
                throw new IllegalArgumentException(key + " given twice");
            }
        }
        for (Field field : FIELDS) {
            if (field.addedLater()) {
                values.putIfAbsent(field.key(), field.written().apply(current));
            }
        }
        List<String> keys = FIELDS.stream().map(Field::key).toList();
        if (!values.keySet().equals(Set.copyOf(keys))) {
            throw new IllegalArgumentException("keys " + values.keySet() + " instead of " + keys);
        }
        try {
            return new OutputSettings(Durations.parse(values.get("dedupeWindow")),
                    Integer.parseInt(values.get("userLogMaxEvents")), Durations.parse(values.get("userLogMaxAge")),
                    Durations.parse(values.get("receiptInterval")));
        } catch (IllegalArgumentException unreadable) {
            throw new IllegalArgumentException("a value does not read: " + unreadable.getMessage(), unreadable);
        }
    }

    /** Each setting that is not as {@code recorded}, in the description's order; empty when none. */
    public List<Change> changesSince(OutputSettings recorded) {
        List<Change> changes = new ArrayList<>();
        for (Field field : FIELDS) {
            String before = field.written().apply(recorded);
            String now = field.written().apply(this);
            if (!before.equals(now)) {
                changes.add(new Change(field.variable(), before, now));
            }
        }
        return changes;
    }
}
