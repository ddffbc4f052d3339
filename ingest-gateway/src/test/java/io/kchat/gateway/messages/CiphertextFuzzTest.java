package io.kchat.gateway.messages;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.gateway.errors.Refusal;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

/**
 * The envelope parser ({@link CiphertextParser}), fuzzed: any JSON either comes out as a ciphertext within its bounds
 * (1 to {@link #LIMITS} envelopes, each for a distinct device, each 1 to the byte bound, well-formed ids) or is
 * refused as invalid input, never another exception. The saved inputs under
 * {@code src/test/resources/io/kchat/gateway/messages/CiphertextFuzzTestInputs} run as a regression test;
 * {@code JAZZER_FUZZ=1} fuzzes for real.
 */
class CiphertextFuzzTest {

    /** Small bounds, so that a fuzzer reaches them. */
    private static final EncryptionLimits LIMITS = new EncryptionLimits(4, 48);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final CiphertextParser PARSER = new CiphertextParser(LIMITS);

    @FuzzTest(maxDuration = "5m")
    void aCiphertextIsAcceptedOnlyWithinItsBounds(byte[] input) {
        JsonNode node;
        try {
            node = JSON.readTree(new String(input, StandardCharsets.UTF_8));
        } catch (JsonProcessingException notJson) {
            return; // the edges refuse what does not read (JsonBodyFuzzTest, ClientFrameFuzzTest)
        }
        SealedContent sealed;
        try {
            sealed = PARSER.parse(node);
        } catch (Refusal refused) {
            assertEquals(Refusal.Kind.INVALID, refused.kind(), refused.getMessage());
            return;
        }
        assertTrue(MessageLimits.violation(sealed.algorithm(), "algorithm", CiphertextParser.MAX_ALGORITHM_CHARS) == null);
        assertTrue(MessageLimits.violation(sealed.senderDeviceId(), "senderDeviceId", MessageLimits.MAX_ID_CHARS) == null);
        assertTrue(!sealed.envelopes().isEmpty() && sealed.envelopes().size() <= LIMITS.maxEnvelopes());
        Set<DeviceRef> devices = new HashSet<>();
        for (SealedContent.Sealed envelope : sealed.envelopes()) {
            assertTrue(devices.add(envelope.device()), "one envelope per device");
            assertTrue(envelope.ciphertext().length >= 1 && envelope.ciphertext().length <= LIMITS.maxEnvelopeBytes());
            assertTrue(MessageLimits.violation(envelope.device().userId(), "userId", MessageLimits.MAX_ID_CHARS) == null);
            assertTrue(MessageLimits.violation(envelope.device().deviceId(), "deviceId", MessageLimits.MAX_ID_CHARS) == null);
        }
        assertEquals(sealed.envelopes().size(), sealed.toEvent().getEnvelopes().size());
    }
}
