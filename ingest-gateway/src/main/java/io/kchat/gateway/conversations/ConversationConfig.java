package io.kchat.gateway.conversations;

import io.kchat.gateway.messages.MessageLimits;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import java.time.Duration;

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
    public static final int DEFAULT_MAX_MESSAGE_CHARS = MessageLimits.DEFAULT_MAX_BODY_CHARS;
    public static final Setting<Integer> MAX_GROUP_SIZE = Setting.integer("MAX_GROUP_SIZE", DEFAULT_MAX_GROUP_SIZE,
            "members of a group including its owner");

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

    /** MAX_GROUP_SIZE; {@code maxMessageChars} is the one limit of both send paths, read by the gateway. */
    public static ConversationConfig from(Settings settings, int maxMessageChars) {
        return new ConversationConfig(settings.get(MAX_GROUP_SIZE), DEFAULT_PUBLISH_TIMEOUT, maxMessageChars);
    }

    public ConversationConfig withMaxGroupSize(int value) {
        return new ConversationConfig(value, publishTimeout, maxMessageChars);
    }

    public ConversationConfig withMaxMessageChars(int value) {
        return new ConversationConfig(maxGroupSize, publishTimeout, value);
    }
}
