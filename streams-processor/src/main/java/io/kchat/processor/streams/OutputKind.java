package io.kchat.processor.streams;

import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.streams.kstream.Predicate;
import org.apache.kafka.streams.kstream.ValueMapper;

/**
 * One kind of a processor's sealed output, as a branch of {@code KStream#split}: which records are of this kind, and
 * the value of the topic they go to. The branch's test and its narrowing come from the same class, so they cannot
 * disagree, and each branch is a stream of its topic's own value type.
 *
 * @param type  the record of this kind, one of the permitted subclasses of {@code T}
 * @param value what the topic of this kind carries, taken out of the record
 * @param <T>   the processor's sealed output type
 * @param <R>   the record of this kind
 * @param <V>   the value type of the topic this kind goes to
 */
public record OutputKind<T, R extends T, V>(Class<R> type, Function<R, V> value) {

    public OutputKind {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(value, "value");
    }

    /** The branch's predicate: the outputs of this kind. */
    public Predicate<Object, T> matches() {
        return (key, output) -> type.isInstance(output);
    }

    /** The branch's one mapping, from the sealed type to its topic's value; only ever sees outputs of this kind. */
    public ValueMapper<T, V> topicValue() {
        return output -> value.apply(type.cast(output));
    }
}
