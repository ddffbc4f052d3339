package io.kchat.gateway.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.errors.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The key bundle parser ({@link KeyUploads#validate}), fuzzed: any JSON body that reads as a {@link KeyUpload} either
 * comes out as a bundle whose every key is a point on P-256 and whose signature verifies, or is refused as invalid
 * input, never another exception. The saved inputs under
 * {@code src/test/resources/io/kchat/gateway/keys/KeyUploadFuzzTestInputs} (a valid bundle and its broken variants)
 * run as a regression test; {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class KeyUploadFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "5m")
    void aBundleIsAcceptedOnlyWhenEveryKeyIsOnTheCurveAndTheSignatureVerifies(byte[] input) {
        KeyUpload upload;
        try {
            upload = JSON.readValue(new String(input, StandardCharsets.UTF_8), KeyUpload.class);
        } catch (JsonProcessingException notABundle) {
            return; // the HTTP layer refuses bodies that do not read (JsonBodyFuzzTest)
        }
        ValidUpload valid;
        try {
            valid = KeyUploads.validate(upload, KeyLimits.DEFAULT);
        } catch (Refusal refused) {
            assertEquals(Refusal.Kind.INVALID, refused.kind(), refused.getMessage());
            return;
        }
        var identity = P256.publicKey(valid.identityKey());
        assertTrue(identity.isPresent(), "identity key on the curve");
        assertTrue(P256.publicKey(valid.signedPreKey()).isPresent(), "signed pre-key on the curve");
        assertTrue(P256.verifies(identity.get(), valid.signedPreKey(), valid.signature()), "signature verifies");
        assertTrue(valid.oneTimePreKeys().size() <= KeyLimits.DEFAULT.oneTimePreKeysPerUpload());
        Set<String> ids = new HashSet<>();
        for (ValidUpload.OneTimeKey key : valid.oneTimePreKeys()) {
            assertTrue(ids.add(key.keyId()), "ids distinct");
            assertTrue(P256.publicKey(key.publicKey()).isPresent(), "one-time pre-key on the curve");
        }
    }
}
