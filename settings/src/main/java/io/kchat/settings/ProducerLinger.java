package io.kchat.settings;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/**
 * {@code KAFKA_LINGER}: how long each producer on the live path (the gateway's, the stream threads', the
 * delivery-service's, and the bench's Kafka floor, which mirrors them) waits to fill a batch. One setting for all of
 * them, so its declaration and its bounds live here. Measured at 1,000 msgs/s on the 2-core benchmark machine: 0 sent
 * nearly one request per record; 1 ms took 7 % of the stack's CPU off without moving the median; 3 ms took 27 % off
 * and added 7 ms to the median (docs/performance.md).
 */
public final class ProducerLinger {

    public static final Duration DEFAULT = Duration.ofMillis(1);
    public static final Setting<Duration> SETTING = Setting.duration("KAFKA_LINGER", DEFAULT,
                    "how long each producer of the service waits to fill a batch; 0ms sends every record at once")
            .formerlyIn(ChronoUnit.MILLIS);

    private ProducerLinger() {
    }

    /** The setting's value, checked. */
    public static Duration from(Settings settings) {
        return require(settings.get(SETTING));
    }

    /** {@code linger} when a producer takes it as {@code linger.ms}: 0 (every record at once) up to an int's worth. */
    public static Duration require(Duration linger) {
        Objects.requireNonNull(linger, "linger");
        if (linger.isNegative() || linger.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(SETTING.name() + " must be between 0ms and " + Integer.MAX_VALUE
                    + "ms, not " + linger.toMillis() + "ms");
        }
        return linger;
    }
}
