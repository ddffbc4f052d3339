package io.kchat.schemas;

import java.time.Duration;
import java.util.Objects;

/**
 * {@code KAFKA_LINGER_MS}: how long each producer on the live path (the gateway's, the stream threads', the
 * delivery-service's, and the bench's Kafka floor, which mirrors them) waits to fill a batch. One setting for all of
 * them, so its default and its bounds live here. Measured at 1,000 msgs/s on the 2-core benchmark machine: 0 sent
 * nearly one request per record; 1 ms took 7 % of the stack's CPU off without moving the median; 3 ms took 27 % off
 * and added 7 ms to the median (docs/performance.md). Each service reads the variable itself and hands the value
 * here, so that the read stays at its call site, where the configuration reference check (deploy/manifests) finds it.
 */
public final class ProducerLinger {

    private static final String NAME = "KAFKA_LINGER_MS";
    public static final Duration DEFAULT = Duration.ofMillis(1);

    private ProducerLinger() {
    }

    /** {@code value} of the variable (a whole number of milliseconds), or the default when it is not set; checked. */
    public static Duration of(String value) {
        return value == null ? DEFAULT : require(Duration.ofMillis(Long.parseLong(value.trim())));
    }

    /** {@code linger} when a producer takes it as {@code linger.ms}: 0 (every record at once) up to an int's worth. */
    public static Duration require(Duration linger) {
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative() || linger.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(NAME + " must be between 0 and " + Integer.MAX_VALUE + " ms, not "
                    + linger.toMillis() + " ms");
        }
        return linger;
    }
}
