package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class AnswerLedgerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ASSISTANT = "assistant-user";
    private static final String PERSON = "person-user";
    private static final long MS = 1_000_000;

    private final AnswerLedger ledger = new AnswerLedger(ASSISTANT);

    @Test
    void timesRunFromTheSendToTheEchoTheFirstPartAndTheAnswer() {
        ledger.asked("q1", "how far?", 1);
        assertEquals(OptionalLong.empty(), ledger.sentNanos("q1"));
        ledger.sent("q1", 90 * MS);
        assertEquals(OptionalLong.of(90 * MS), ledger.sentNanos("q1"));
        ledger.message(echo("c1", 7, "q1", "how far?"), 100 * MS);
        ledger.streamPart(part("c1", 7), 130 * MS);
        ledger.streamPart(part("c1", 7), 150 * MS);
        ledger.message(answer("c1", 8, 7, "You asked: how far?", false), 180 * MS);

        assertEquals(0, ledger.unanswered());
        assertEquals(List.of(new AnswerLedger.Timing(1, 10_000, 40_000, 90_000)), ledger.timings());
        assertTrue(ledger.problems().isEmpty(), ledger.problems()::toString);
    }

    @Test
    void aQuestionIsUnansweredUntilItsAnswerComes() {
        ledger.asked("q1", "a", 1);
        ledger.asked("q2", "b", 2);
        ledger.message(echo("c1", 1, "q1", "a"), 0);
        ledger.message(echo("c2", 1, "q2", "b"), 0);
        ledger.message(answer("c1", 2, 1, "You asked: a", false), MS);

        assertEquals(1, ledger.unanswered());
    }

    @Test
    void anAnswerThatIsNotTheEchoOfItsQuestionIsAProblem() {
        ledger.asked("q1", "a", 1);
        ledger.message(echo("c1", 1, "q1", "a"), 0);
        ledger.message(answer("c1", 2, 1, "You asked: b", false), MS);

        assertEquals(1, ledger.problems().size());
    }

    @Test
    void aFailedAnswerIsAProblemEvenWithTheExpectedBody() {
        ledger.asked("q1", "a", 1);
        ledger.message(echo("c1", 1, "q1", "a"), 0);
        ledger.message(answer("c1", 2, 1, "You asked: a", true), MS);

        assertEquals(1, ledger.problems().size());
    }

    @Test
    void theSameAnswerDeliveredAgainIsNotASecondAnswerButAnotherOneIs() {
        ledger.asked("q1", "a", 1);
        ledger.message(echo("c1", 1, "q1", "a"), 0);
        ledger.message(answer("c1", 2, 1, "You asked: a", false), MS);
        ledger.message(answer("c1", 2, 1, "You asked: a", false), 2 * MS);
        assertTrue(ledger.problems().isEmpty(), ledger.problems()::toString);

        ledger.message(answer("c1", 3, 1, "You asked: a", false), 3 * MS);
        assertEquals(1, ledger.problems().size());
    }

    @Test
    void aPartBeforeTheEchoKeepsItsTimeAndIsCounted() {
        ledger.asked("q1", "a", 1);
        ledger.sent("q1", 2 * MS);
        ledger.streamPart(part("c1", 1), 5 * MS);
        ledger.message(echo("c1", 1, "q1", "a"), 6 * MS);
        ledger.message(answer("c1", 2, 1, "You asked: a", false), 9 * MS);

        assertEquals(List.of(new AnswerLedger.Timing(1, 4_000, 3_000, 7_000)), ledger.timings());
        assertEquals(1, ledger.partsBeforeEcho());
    }

    @Test
    void partsOfAnotherConversationsQuestionDoNotCount() {
        ledger.asked("q1", "a", 1);
        ledger.sent("q1", 0);
        ledger.message(echo("c1", 1, "q1", "a"), 0);
        ledger.streamPart(part("c2", 1), MS);
        ledger.message(answer("c1", 2, 1, "You asked: a", false), 2 * MS);

        assertTrue(ledger.timings().isEmpty());
        assertEquals(1, ledger.answeredWithoutParts());
    }

    @Test
    void anAnswerToNoQuestionOfTheRunIsAProblem() {
        ledger.message(answer("c9", 2, 1, "You asked: x", false), MS);

        assertEquals(1, ledger.problems().size());
    }

    @Test
    void aQuestionIdIsAskedOnceAndSentOnlyOnceAsked() {
        ledger.asked("q1", "a", 1);
        assertThrows(IllegalArgumentException.class, () -> ledger.asked("q1", "b", 1));
        assertThrows(IllegalArgumentException.class, () -> ledger.sent("q2", 0));
    }

    private static JsonNode echo(String conversationId, long seq, String id, String body) {
        return message(conversationId, seq, PERSON).put("id", id).put("body", body);
    }

    private static JsonNode answer(String conversationId, long seq, long replyTo, String body, boolean failed) {
        ObjectNode frame = message(conversationId, seq, ASSISTANT).put("id", "assistant-answer-" + replyTo)
                .put("replyTo", replyTo).put("body", body);
        return failed ? frame.put("failed", true) : frame;
    }

    private static ObjectNode message(String conversationId, long seq, String senderId) {
        return JSON.createObjectNode().put("type", "message").put("conversationId", conversationId).put("seq", seq)
                .put("senderId", senderId);
    }

    private static JsonNode part(String conversationId, long replyTo) {
        return JSON.createObjectNode().put("type", "assistant_stream").put("conversationId", conversationId)
                .put("replyTo", replyTo).put("offset", 0).put("delta", "You").put("done", false);
    }
}
