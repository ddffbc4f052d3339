package io.kchat.gateway.conversations;

import java.time.Duration;

/**
 * @param maxGroupSize   members of a group including its owner; fan-out on write is per member
 * @param publishTimeout how long a create waits for Kafka's ack before answering 503 (the outbox relays it)
 */
public record ConversationConfig(int maxGroupSize, Duration publishTimeout) {

    public static final int DEFAULT_MAX_GROUP_SIZE = 1000;
    /** A little above the gateway producer's delivery.timeout.ms, which fails the send first. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(35);

    public ConversationConfig {
        if (maxGroupSize < 2) {
            throw new IllegalArgumentException("maxGroupSize must be >= 2: " + maxGroupSize);
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive: " + publishTimeout);
        }
    }

    public static ConversationConfig defaults() {
        return new ConversationConfig(DEFAULT_MAX_GROUP_SIZE, DEFAULT_PUBLISH_TIMEOUT);
    }

    /** MAX_GROUP_SIZE; everything else at its default. */
    public static ConversationConfig fromEnv(java.util.Map<String, String> env) {
        return new ConversationConfig(
                Integer.parseInt(env.getOrDefault("MAX_GROUP_SIZE", String.valueOf(DEFAULT_MAX_GROUP_SIZE))),
                DEFAULT_PUBLISH_TIMEOUT);
    }
}
