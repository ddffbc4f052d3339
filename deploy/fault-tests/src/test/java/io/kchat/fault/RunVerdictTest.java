package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.kchat.fault.Violation.Rule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The verdict's counts: distinct messages and deliveries, and each violation in exactly one bucket. */
class RunVerdictTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void countsDistinctMessagesAndDeliveriesOverDevicesAndTheArchive() {
        DeviceHistory alice = device("alice", message("c1", 1, 1), message("c1", 2, 2), message("c1", 2, 2));
        DeviceHistory bob = device("bob", message("c1", 1, 1));
        Map<String, List<JsonNode>> archive = Map.of("c1", List.of(seq(1), seq(2), seq(3)));

        RunVerdict verdict = RunVerdict.of("run", 3, List.of(alice, bob), archive, List.of());

        assertEquals(3, verdict.accepted(), "c1#1, c1#2 and c1#3 (archived only)");
        assertEquals(3, verdict.delivered(), "alice got 2 distinct messages (one twice), bob 1");
        assertEquals(0, verdict.lost() + verdict.contradictions() + verdict.gaps() + verdict.reordered());
    }

    @Test
    void everyRuleFallsInExactlyOneBucket() {
        List<Violation> oneOfEach = java.util.Arrays.stream(Rule.values()).map(r -> new Violation(r, "x")).toList();

        RunVerdict verdict = RunVerdict.of("run", 0, List.of(), Map.of(), oneOfEach);

        assertEquals(0, verdict.otherViolations(), "a new rule must be given its bucket");
        assertEquals(Rule.values().length,
                verdict.lost() + verdict.contradictions() + verdict.gaps() + verdict.reordered());
        assertEquals(2, verdict.gaps());
        assertEquals(2, verdict.reordered());
    }

    private static DeviceHistory device(String user, JsonNode... frames) {
        return new DeviceHistory(user, user + "-1",
                java.util.Arrays.stream(frames).map(f -> new ReceivedFrame(0, f)).toList(), List.of());
    }

    private static JsonNode message(String conversation, long seq, long userSeq) {
        return JSON.createObjectNode().put("type", "message").put("conversationId", conversation).put("seq", seq)
                .put("userSeq", userSeq);
    }

    private static JsonNode seq(long seq) {
        return JSON.createObjectNode().put("seq", seq);
    }
}
