package io.kchat.gateway.keys;

import io.kchat.gateway.errors.Refusal;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** Checks an uploaded bundle field by field; every refusal names the field and, for keys, a machine-readable reason. */
final class KeyUploads {

    /** Client-chosen key ids: short and plain, so that they can be logged and compared without surprises. */
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private KeyUploads() {
    }

    static ValidUpload validate(KeyUpload upload, KeyLimits limits) {
        if (upload == null) {
            throw Refusal.invalid("invalid request", "a key bundle is required");
        }
        byte[] identity = rawKey(upload.identityKey(), "identityKey");
        PublicKey signer = P256.publicKey(identity).orElseThrow(() -> malformed("identityKey"));
        KeyUpload.SignedPreKey signed = upload.signedPreKey();
        if (signed == null) {
            throw Refusal.invalid("invalid request", "signedPreKey is required");
        }
        String signedId = keyId(signed.keyId(), "signedPreKey.keyId");
        byte[] signedKey = rawKey(signed.publicKey(), "signedPreKey.publicKey");
        if (P256.publicKey(signedKey).isEmpty()) {
            throw malformed("signedPreKey.publicKey");
        }
        byte[] signature = decode(signed.signature(), "signedPreKey.signature");
        if (!P256.verifies(signer, signedKey, signature)) {
            throw Refusal.invalid("bad signature", "signedPreKey.signature is not the identity key's signature of "
                    + "the signed pre-key").withReason("bad_signature");
        }
        List<KeyUpload.OneTimePreKey> offered = upload.oneTimePreKeys() == null ? List.of() : upload.oneTimePreKeys();
        if (offered.size() > limits.oneTimePreKeysPerUpload()) {
            throw Refusal.invalid("too many one-time pre-keys", "at most " + limits.oneTimePreKeysPerUpload()
                    + " per upload").withReason("too_many_prekeys");
        }
        List<ValidUpload.OneTimeKey> oneTime = new ArrayList<>(offered.size());
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < offered.size(); i++) {
            KeyUpload.OneTimePreKey key = offered.get(i);
            String field = "oneTimePreKeys[" + i + "]";
            if (key == null) {
                throw Refusal.invalid("invalid request", field + " is null");
            }
            String id = keyId(key.keyId(), field + ".keyId");
            if (!ids.add(id)) {
                throw Refusal.invalid("invalid request", field + ".keyId repeats an id of this upload");
            }
            byte[] raw = rawKey(key.publicKey(), field + ".publicKey");
            if (P256.publicKey(raw).isEmpty()) {
                throw malformed(field + ".publicKey");
            }
            oneTime.add(new ValidUpload.OneTimeKey(id, raw));
        }
        return new ValidUpload(identity, signedId, signedKey, signature, List.copyOf(oneTime));
    }

    static String encode(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static byte[] rawKey(String value, String field) {
        byte[] raw = decode(value, field);
        if (raw.length != P256.RAW_KEY_BYTES) {
            throw malformed(field);
        }
        return raw;
    }

    private static byte[] decode(String value, String field) {
        if (value == null) {
            throw Refusal.invalid("invalid request", field + " is required");
        }
        // a P-256 key or signature is under 100 characters: anything far longer is not one, and not worth decoding
        if (value.length() > 200) {
            throw malformed(field);
        }
        try {
            return Base64.getUrlDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw malformed(field);
        }
    }

    private static String keyId(String value, String field) {
        if (value == null || !KEY_ID.matcher(value).matches()) {
            throw Refusal.invalid("invalid request", field + " must be 1 to 64 of A-Z, a-z, 0-9, _ and -");
        }
        return value;
    }

    private static Refusal malformed(String field) {
        return Refusal.invalid("malformed key", field + " is not a base64url P-256 point (65 bytes, uncompressed)")
                .withReason("malformed_key");
    }
}
