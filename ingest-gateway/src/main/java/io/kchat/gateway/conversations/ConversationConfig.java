package io.kchat.gateway.conversations;

import io.kchat.gateway.ws.WsConfig;
import java.time.Duration;
import java.util.Map;

/**
 * @param maxGroupSize    members of a group including its owner; fan-out on write is per member
 * @param publishTimeout  how long a REST write waits for Kafka's ack before answering 503 (for conversation
 *                        changes the outbox relays it; an HTTP send is simply not stored)
 * @param maxMessageChars longest message body, in code points: the same limit as the WebSocket {@code send}
 */
public record ConversationConfig(int maxGroupSize, Duration publishTimeout, int maxMessageChars) {

    public static final int DEFAULT_MAX_GROUP_SIZE = 1000;
    /** A little above the gateway producer's delivery.timeout.ms, which fails the send first. */
    public static final Duration DEFAULT_PUBLISH_TIMEOUT = Duration.ofSeconds(35);
    /** One limit for both send paths (HTTP and WebSocket). */
    public static final int DEFAULT_MAX_MESSAGE_CHARS = WsConfig.DEFAULT_MAX_BODY_CHARS;

    public ConversationConfig {
        if (maxGroupSize < 2) {
            throw new IllegalArgumentException("maxGroupSize must be >= 2: " + maxGroupSize);
        }
        if (publishTimeout.isNegative() || publishTimeout.isZero()) {
            throw new IllegalArgumentException("publishTimeout must be positive: " + publishTimeout);
        }
        if (maxMessageChars < 1) {
            throw new IllegalArgumentException("maxMessageChars must be >= 1: " + maxMessageChars);
        }
    }

    public static ConversationConfig defaults() {
        return new ConversationConfig(DEFAULT_MAX_GROUP_SIZE, DEFAULT_PUBLISH_TIMEOUT, DEFAULT_MAX_MESSAGE_CHARS);
    }

    /**
     * MAX_GROUP_SIZE, and WS_MAX_BODY_CHARS (the variable the WebSocket endpoint reads too, so that both send
     * paths accept the same bodies); everything else at its default.
     */
    public static ConversationConfig fromEnv(Map<String, String> env) {
        return new ConversationConfig(
                Integer.parseInt(env.getOrDefault("MAX_GROUP_SIZE", String.valueOf(DEFAULT_MAX_GROUP_SIZE)).trim()),
                DEFAULT_PUBLISH_TIMEOUT,
                Integer.parseInt(env.getOrDefault("WS_MAX_BODY_CHARS", String.valueOf(DEFAULT_MAX_MESSAGE_CHARS)).trim()));
    }

    public ConversationConfig withMaxGroupSize(int value) {
        return new ConversationConfig(value, publishTimeout, maxMessageChars);
    }

    public ConversationConfig withMaxMessageChars(int value) {
        return new ConversationConfig(maxGroupSize, publishTimeout, value);
    }
}
