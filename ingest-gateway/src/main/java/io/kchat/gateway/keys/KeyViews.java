package io.kchat.gateway.keys;

import java.util.List;

/** The key directory's answers, as docs/api.md shows them: keys base64url, without padding. */
final class KeyViews {

    private KeyViews() {
    }

    record PreKeyCount(int oneTimePreKeyCount) {
    }

    record SignedPreKeyView(String keyId, String publicKey, String signature) {
    }

    record OneTimePreKeyView(String keyId, String publicKey) {
    }

    record DeviceKeysView(String deviceId, String identityKey, SignedPreKeyView signedPreKey) {
    }

    record UserKeysView(String userId, List<DeviceKeysView> devices) {
    }

    /** {@code oneTimePreKey} null once the device has none left: the signed pre-key alone then. */
    record ClaimedView(String userId, String deviceId, String identityKey, SignedPreKeyView signedPreKey,
                       OneTimePreKeyView oneTimePreKey) {
    }

    record ClaimsView(List<ClaimedView> keys) {
    }

    static DeviceKeysView device(KeyStore.DeviceRow row) {
        return new DeviceKeysView(row.deviceId(), KeyUploads.encode(row.identityKey()), signed(row));
    }

    static SignedPreKeyView signed(KeyStore.DeviceRow row) {
        return new SignedPreKeyView(row.signedPreKeyId(), KeyUploads.encode(row.signedPreKey()),
                KeyUploads.encode(row.signature()));
    }
}
