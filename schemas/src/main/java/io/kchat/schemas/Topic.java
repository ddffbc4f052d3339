package io.kchat.schemas;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * A topic whose name, serdes, partition count and retention cannot disagree between services.
 *
 * @param partitions fixed per deployment (D6): services refuse to start when the broker disagrees
 * @param retention  {@code null} for infinite retention
 * @param config     further topic configs (cleanup policy, segment size...)
 */
public record Topic<K, V>(
        String name, Serde<K> keySerde, Serde<V> valueSerde, int partitions, Duration retention,
        Map<String, String> config) {

    public Topic {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(keySerde, "keySerde");
        Objects.requireNonNull(valueSerde, "valueSerde");
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1 for " + name);
        }
        config = Map.copyOf(config);
    }

    /** The same topic kept {@code value} ({@code null}: forever), for a deployment that sets its own. */
    public Topic<K, V> withRetention(Duration value) {
        return new Topic<>(name, keySerde, valueSerde, partitions, value, config);
    }

    /** The same topic under a prefix: tests use a unique prefix each, deployments may share a cluster. */
    public Topic<K, V> withPrefix(String prefix) {
        return new Topic<>(prefix + name, keySerde, valueSerde, partitions, retention, config);
    }
}
