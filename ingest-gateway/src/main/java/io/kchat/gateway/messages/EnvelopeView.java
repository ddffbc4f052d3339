package io.kchat.gateway.messages;

import java.util.Base64;

/**
 * The one envelope of an encrypted message that is addressed to the reading device: in history, in the conversation
 * list's last message and in the {@code message} frame. {@code ciphertext} is base64url without padding, as every
 * binary value of the API.
 */
public record EnvelopeView(String senderDeviceId, String algorithm, String ciphertext) {

    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    public static EnvelopeView of(String senderDeviceId, String algorithm, byte[] ciphertext) {
        return new EnvelopeView(senderDeviceId, algorithm, BASE64URL.encodeToString(ciphertext));
    }
}
