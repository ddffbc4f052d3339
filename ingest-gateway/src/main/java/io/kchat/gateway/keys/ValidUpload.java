package io.kchat.gateway.keys;

import java.util.List;

/** A device's keys, each checked: points on P-256, the signed pre-key signed by the identity key, ids well formed. */
record ValidUpload(byte[] identityKey, String signedPreKeyId, byte[] signedPreKey, byte[] signature,
                   List<OneTimeKey> oneTimePreKeys) {

    record OneTimeKey(String keyId, byte[] publicKey) {
    }
}
