package io.kchat.gateway.messages;

import io.kchat.events.Ciphertext;
import io.kchat.events.Envelope;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * The content of a send in an end-to-end encrypted conversation, as the client wrote it: one envelope per recipient
 * device. Validated for shape by {@link CiphertextParser}; who the envelopes must be for is {@link ContentCheck}'s.
 */
public record SealedContent(String algorithm, String senderDeviceId, List<Sealed> envelopes) {

    public SealedContent {
        envelopes = List.copyOf(envelopes);
    }

    /** One device's envelope; the bytes are opaque to the server. */
    public record Sealed(DeviceRef device, byte[] ciphertext) {
    }

    public Ciphertext toEvent() {
        return new Ciphertext(algorithm, senderDeviceId, envelopes.stream()
                .map(e -> new Envelope(e.device().userId(), e.device().deviceId(), ByteBuffer.wrap(e.ciphertext())))
                .toList());
    }
}
