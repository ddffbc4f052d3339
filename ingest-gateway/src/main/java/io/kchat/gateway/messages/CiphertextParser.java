package io.kchat.gateway.messages;

import com.fasterxml.jackson.databind.JsonNode;
import io.kchat.gateway.errors.Refusal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the {@code ciphertext} of a send (docs/api.md, end-to-end encryption), on the WebSocket and the HTTP path
 * alike: {@code {algorithm, senderDeviceId, envelopes:[{userId, deviceId, ciphertext}]}} with the ciphertexts in
 * base64url. Checks shape and bounds only; every refusal is {@link Refusal.Kind#INVALID} and names the field at
 * fault. The server never looks inside an envelope.
 */
public final class CiphertextParser {

    static final int MAX_ALGORITHM_CHARS = 64;
    private static final Base64.Decoder BASE64URL = Base64.getUrlDecoder();

    private final EncryptionLimits limits;

    public CiphertextParser(EncryptionLimits limits) {
        this.limits = limits;
    }

    /** @throws Refusal 400 naming the field at fault */
    public SealedContent parse(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw invalid("ciphertext must be an object");
        }
        String algorithm = text(node, "algorithm", "ciphertext.algorithm", MAX_ALGORITHM_CHARS);
        String senderDeviceId = text(node, "senderDeviceId", "ciphertext.senderDeviceId", MessageLimits.MAX_ID_CHARS);
        JsonNode envelopes = node.get("envelopes");
        if (envelopes == null || !envelopes.isArray() || envelopes.isEmpty()) {
            throw invalid("ciphertext.envelopes must be a non-empty array");
        }
        if (envelopes.size() > limits.maxEnvelopes()) {
            throw invalid("ciphertext.envelopes must hold at most " + limits.maxEnvelopes() + " envelopes");
        }
        List<SealedContent.Sealed> sealed = new ArrayList<>(envelopes.size());
        Set<DeviceRef> seen = new HashSet<>();
        for (int i = 0; i < envelopes.size(); i++) {
            SealedContent.Sealed envelope = envelope(envelopes.get(i), "ciphertext.envelopes[" + i + "]");
            if (!seen.add(envelope.device())) {
                throw invalid("ciphertext.envelopes[" + i + "] repeats a device: one envelope per device");
            }
            sealed.add(envelope);
        }
        return new SealedContent(algorithm, senderDeviceId, sealed);
    }

    private SealedContent.Sealed envelope(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            throw invalid(path + " must be an object");
        }
        DeviceRef device = new DeviceRef(text(node, "userId", path + ".userId", MessageLimits.MAX_ID_CHARS),
                text(node, "deviceId", path + ".deviceId", MessageLimits.MAX_ID_CHARS));
        JsonNode value = node.get("ciphertext");
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw invalid(path + ".ciphertext must be a non-empty base64url string");
        }
        String encoded = value.asText();
        // 4 characters carry 3 bytes: a longer text cannot decode within the bound, so it is not decoded at all
        if (encoded.length() > (limits.maxEnvelopeBytes() / 3 + 1) * 4) {
            throw invalid(path + ".ciphertext must be at most " + limits.maxEnvelopeBytes() + " bytes");
        }
        byte[] bytes;
        try {
            bytes = BASE64URL.decode(encoded);
        } catch (IllegalArgumentException e) {
            throw invalid(path + ".ciphertext must be base64url");
        }
        if (bytes.length == 0 || bytes.length > limits.maxEnvelopeBytes()) {
            throw invalid(path + ".ciphertext must be 1 to " + limits.maxEnvelopeBytes() + " bytes");
        }
        return new SealedContent.Sealed(device, bytes);
    }

    private static String text(JsonNode node, String field, String path, int maxChars) {
        JsonNode value = node.get(field);
        String violation = MessageLimits.violation(value == null || !value.isTextual() ? null : value.asText(), path,
                maxChars);
        if (violation != null) {
            throw invalid(violation);
        }
        return value.asText();
    }

    private static Refusal invalid(String detail) {
        return Refusal.invalid("invalid ciphertext", detail);
    }
}
