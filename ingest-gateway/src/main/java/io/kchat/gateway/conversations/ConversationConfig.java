package io.kchat.gateway.conversations;

import io.kchat.gateway.messages.EncryptionLimits;
import io.kchat.gateway.messages.MessageLimits;
import io.kchat.settings.AssistantModel;
import io.kchat.settings.Setting;
import io.kchat.settings.Settings;
import io.kchat.settings.SharedSettings;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * @param maxGroupSize    members of a group including its owner; fan-out on write is per member
 * @param publishTimeout  how long a REST write waits for Kafka's ack before answering 503 (for conversation
 *                        changes the outbox relays it; an HTTP send is simply not stored)
 * @param maxMessageChars longest message body, in code points: the same limit as the WebSocket {@code send}
 * @param encryption      bounds on the envelopes of a send to an end-to-end encrypted conversation, both paths
 * @param assistant       the model the assistant worker calls (D15): assistant conversations are offered exactly when
 *                        there is one, read from the same two settings as the worker's
 */
public record ConversationConfig(int maxGroupSize, Duration publishTimeout, int maxMessageChars,
                                 EncryptionLimits encryption, Optional<AssistantModel> assistant) {

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
        if (assistant == null) {
            throw new IllegalArgumentException("assistant must be present or empty, not null");
        }
    }

    /** The settings read here besides MAX_GROUP_SIZE (listed with the gateway's own). */
    public static List<Setting<?>> assistantSettings() {
        return List.of(SharedSettings.ASSISTANT_BASE_URL, SharedSettings.ASSISTANT_MODEL);
    }

    public static ConversationConfig defaults() {
        return new ConversationConfig(DEFAULT_MAX_GROUP_SIZE, DEFAULT_PUBLISH_TIMEOUT, DEFAULT_MAX_MESSAGE_CHARS,
                EncryptionLimits.DEFAULT, Optional.empty());
    }

    /**
     * MAX_GROUP_SIZE, E2EE_MAX_ENVELOPES, ASSISTANT_BASE_URL and ASSISTANT_MODEL; {@code maxMessageChars} is the one
     * limit of both send paths and
     * {@code maxFrameBytes} the WebSocket's frame limit, both read by the gateway.
     */
    public static ConversationConfig from(Settings settings, int maxMessageChars, int maxFrameBytes) {
        return new ConversationConfig(settings.get(MAX_GROUP_SIZE), DEFAULT_PUBLISH_TIMEOUT, maxMessageChars,
                EncryptionLimits.from(settings, maxFrameBytes), SharedSettings.assistantModel(settings));
    }

    public ConversationConfig withMaxGroupSize(int value) {
        return new ConversationConfig(value, publishTimeout, maxMessageChars, encryption, assistant);
    }

    public ConversationConfig withMaxMessageChars(int value) {
        return new ConversationConfig(maxGroupSize, publishTimeout, value, encryption, assistant);
    }

    public ConversationConfig withEncryption(EncryptionLimits value) {
        return new ConversationConfig(maxGroupSize, publishTimeout, maxMessageChars, value, assistant);
    }

    public ConversationConfig withAssistant(AssistantModel value) {
        return new ConversationConfig(maxGroupSize, publishTimeout, maxMessageChars, encryption, Optional.of(value));
    }
}
