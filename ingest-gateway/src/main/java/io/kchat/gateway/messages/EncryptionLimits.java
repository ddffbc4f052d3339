package io.kchat.gateway.messages;

import io.kchat.settings.Setting;
import io.kchat.settings.Settings;

/**
 * Bounds on an encrypted send: how many envelopes (one per recipient device) and how large each may be. The frame
 * limit bounds the sum on the WebSocket; an envelope alone is held to it on the HTTP path too, so that both paths
 * accept the same sends.
 */
public record EncryptionLimits(int maxEnvelopes, int maxEnvelopeBytes) {

    public static final int DEFAULT_MAX_ENVELOPES = 200;
    public static final Setting<Integer> MAX_ENVELOPES = Setting.integer("E2EE_MAX_ENVELOPES", DEFAULT_MAX_ENVELOPES,
            "most envelopes (recipient devices) in one send to an end-to-end encrypted conversation");

    /** The defaults, with the WebSocket's default frame limit. */
    public static final EncryptionLimits DEFAULT = new EncryptionLimits(DEFAULT_MAX_ENVELOPES, 64 * 1024);

    public EncryptionLimits {
        if (maxEnvelopes < 1 || maxEnvelopeBytes < 1) {
            throw new IllegalArgumentException("maxEnvelopes and maxEnvelopeBytes must be >= 1");
        }
    }

    /** @param maxFrameBytes the WebSocket's largest client message, which no envelope can exceed anyway */
    public static EncryptionLimits from(Settings settings, int maxFrameBytes) {
        return new EncryptionLimits(settings.get(MAX_ENVELOPES), maxFrameBytes);
    }
}
