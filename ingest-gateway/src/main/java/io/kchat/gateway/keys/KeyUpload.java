package io.kchat.gateway.keys;

import java.util.List;

/**
 * {@code PUT /v1/keys} as the client sends it: base64url strings, unchecked. {@link KeyUploads#validate} turns it into
 * a {@link ValidUpload} or refuses it.
 */
public record KeyUpload(String identityKey, SignedPreKey signedPreKey, List<OneTimePreKey> oneTimePreKeys) {

    public record SignedPreKey(String keyId, String publicKey, String signature) {
    }

    public record OneTimePreKey(String keyId, String publicKey) {
    }
}
