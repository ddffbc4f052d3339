package io.kchat.bench;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * The workload of the open-loop modes (latency, floor, throughput).
 *
 * @param users            devices, one account and one socket each ({@code --users}, or {@code --pairs} × 2)
 * @param groupSize        members per conversation; 2 makes direct conversations
 * @param rate             messages per second in total
 * @param ackInterval      how often each socket acks what it received (as clients do); 0: never
 * @param floorRecordBytes size of a Kafka floor record: the body plus about what the live records carry around it
 * @param concurrency      sign-ins and connects in flight while setting up
 */
record LoadOptions(int users, int groupSize, double rate, Duration warmup, Duration measured, Duration drain,
                   Duration ackInterval, int bodyChars, int floorRecordBytes, int concurrency) {

    static final Set<String> NAMES = Set.of("pairs", "users", "group-size", "rate", "warmup", "duration", "drain",
            "ack-interval", "body-chars", "floor-record-bytes", "concurrency");
    /** Ids, timestamps and routing the live records carry around the body (Avro, measured roughly). */
    private static final int ENVELOPE_BYTES = 160;

    static LoadOptions from(Options options, Duration defaultWarmup, Duration defaultMeasured) {
        int users = options.integer("users", 2 * options.integer("pairs", 50));
        int bodyChars = options.integer("body-chars", 64);
        return new LoadOptions(users, options.integer("group-size", 2), options.number("rate", 1000),
                options.duration("warmup", defaultWarmup), options.duration("duration", defaultMeasured),
                options.duration("drain", Duration.ofSeconds(30)),
                options.duration("ack-interval", Duration.ofMillis(200)), bodyChars,
                options.integer("floor-record-bytes", bodyChars + ENVELOPE_BYTES), options.integer("concurrency", 16));
    }

    int conversations() {
        return users / groupSize;
    }

    /** Without the sockets, for the floor alone. */
    String describeForFloor() {
        return String.format(Locale.ROOT, "%d conversations of %d members, open loop at %,.0f msgs/s in total; "
                        + "warm-up %d s, measured %d s, drain up to %d s", conversations(), groupSize, rate,
                warmup.toSeconds(), measured.toSeconds(), drain.toSeconds());
    }

    String describe() {
        String shape = groupSize == 2
                ? String.format(Locale.ROOT, "%d users in %d direct conversations (pairs)", users, conversations())
                : String.format(Locale.ROOT, "%d users in %d groups of %d", users, conversations(), groupSize);
        return String.format(Locale.ROOT, "%s, one socket each; open loop at %,.0f msgs/s in total (%.1f per user), "
                        + "each to %d recipient(s); %d-char bodies; warm-up %d s, measured %d s, drain up to %d s; "
                        + "sockets ack every %d ms", shape, rate, rate / users, groupSize - 1, bodyChars,
                warmup.toSeconds(), measured.toSeconds(), drain.toSeconds(), ackInterval.toMillis());
    }
}
