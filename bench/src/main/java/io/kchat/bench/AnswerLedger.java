package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Mode {@code assistant}'s questions and what came back for each, fed from every asker's socket: the echo of the
 * question (its {@code seq}: durably logged), the first {@code assistant_stream} frame whose {@code replyTo} is that
 * seq, and the answer {@code message} from the assistant's user with that {@code replyTo}. An answer must be the
 * model's echo of its question and come once; a repeated frame (same answer seq, at-least-once delivery) is not a
 * second answer. Anything else is a problem the run reports and fails on.
 */
final class AnswerLedger {

    /**
     * Microseconds from a question's send to its echo, to the first part of its answer and to the answer; its round.
     * From the send, not the echo: the echo takes the live path through the user side while the question reaches the
     * worker on chat.messages, so the first part may well come before the echo.
     */
    record Timing(int round, long toEchoMicros, long toFirstPartMicros, long toAnswerMicros) {
    }

    private record Key(String conversationId, long seq) {
    }

    private static final class Asked {
        private final String expected;
        private final int round;
        private long seq = -1;
        private long sentNanos = -1;
        private long echoNanos;
        private Long firstPartNanos;
        private long answerSeq = -1;
        private long answerNanos;

        private Asked(String expected, int round) {
            this.expected = expected;
            this.round = round;
        }
    }

    private final String assistantUserId;
    private final Map<String, Asked> byClientId = new HashMap<>();
    private final Map<Key, Asked> bySeq = new HashMap<>();
    /** Parts that came before their question's echo (the two travel different paths): kept until the echo. */
    private final Map<Key, Long> earlyParts = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    private int partsBeforeEcho;

    AnswerLedger(String assistantUserId) {
        this.assistantUserId = assistantUserId;
    }

    /** What the bench's model answers to {@code question}: {@code OpenAiCompatibleServer}'s echo. */
    static String expectedAnswer(String question) {
        return "You asked: " + question;
    }

    /** Before the question with the client id {@code id} is sent in {@code round}. */
    synchronized void asked(String id, String question, int round) {
        if (byClientId.putIfAbsent(id, new Asked(expectedAnswer(question), round)) != null) {
            throw new IllegalArgumentException("question id " + id + " asked twice");
        }
    }

    /** The question with the client id {@code id} was sent at {@code nanos} ({@link System#nanoTime}). */
    synchronized void sent(String id, long nanos) {
        Asked asked = byClientId.get(id);
        if (asked == null) {
            throw new IllegalArgumentException("question " + id + " was not asked");
        }
        asked.sentNanos = nanos;
    }

    /** A {@code message} frame on an asker's socket: a question's echo, an answer, or neither. */
    synchronized void message(JsonNode frame, long arrivedNanos) {
        String conversationId = frame.path("conversationId").asText();
        long seq = frame.path("seq").asLong(-1);
        if (assistantUserId.equals(frame.path("senderId").asText())) {
            answer(frame, conversationId, seq, arrivedNanos);
            return;
        }
        Asked asked = byClientId.get(frame.path("id").asText());
        if (asked == null || asked.seq != -1) {
            return; // not a question of this run, or the echo again
        }
        asked.seq = seq;
        asked.echoNanos = arrivedNanos;
        Key key = new Key(conversationId, seq);
        bySeq.put(key, asked);
        Long early = earlyParts.remove(key);
        if (early != null) {
            asked.firstPartNanos = early;
            partsBeforeEcho++;
        }
    }

    /** An {@code assistant_stream} frame on an asker's socket. */
    synchronized void streamPart(JsonNode frame, long arrivedNanos) {
        Key key = new Key(frame.path("conversationId").asText(), frame.path("replyTo").asLong(-1));
        Asked asked = bySeq.get(key);
        if (asked == null) {
            earlyParts.putIfAbsent(key, arrivedNanos);
        } else if (asked.firstPartNanos == null) {
            asked.firstPartNanos = arrivedNanos;
        }
    }

    /** An {@code error} frame on an asker's socket: a question refused. */
    synchronized void refused(JsonNode frame) {
        problems.add("refused: " + frame);
    }

    private void answer(JsonNode frame, String conversationId, long seq, long arrivedNanos) {
        Asked asked = bySeq.get(new Key(conversationId, frame.path("replyTo").asLong(-1)));
        if (asked == null) {
            problems.add("an answer to no question of this run (or before its echo): " + frame);
        } else if (asked.answerSeq == seq) {
            return; // the same answer delivered again
        } else if (asked.answerSeq != -1) {
            problems.add("a second answer (seq " + seq + " after " + asked.answerSeq + "): " + frame);
        } else {
            asked.answerSeq = seq;
            asked.answerNanos = arrivedNanos;
            String body = frame.path("body").asText();
            if (frame.path("failed").asBoolean(false) || !asked.expected.equals(body)) {
                problems.add("answer " + (frame.path("failed").asBoolean(false) ? "failed" : "differs") + ": expected \""
                        + asked.expected + "\", got " + frame);
            }
        }
    }

    /** When the question with client id {@code id} was sent ({@link System#nanoTime}); empty before. */
    synchronized OptionalLong sentNanos(String id) {
        Asked asked = byClientId.get(id);
        return asked == null || asked.sentNanos == -1 ? OptionalLong.empty() : OptionalLong.of(asked.sentNanos);
    }

    /** Questions asked whose answer has not come yet. */
    synchronized int unanswered() {
        return (int) byClientId.values().stream().filter(a -> a.answerSeq == -1).count();
    }

    /** The timings of the questions sent and answered with at least one part before the answer. */
    synchronized List<Timing> timings() {
        List<Timing> timings = new ArrayList<>();
        for (Asked asked : byClientId.values()) {
            if (asked.sentNanos != -1 && asked.answerSeq != -1 && asked.firstPartNanos != null) {
                timings.add(new Timing(asked.round, micros(asked.echoNanos - asked.sentNanos),
                        micros(asked.firstPartNanos - asked.sentNanos), micros(asked.answerNanos - asked.sentNanos)));
            }
        }
        return timings;
    }

    /** Answers that came without any {@code assistant_stream} frame for their question. */
    synchronized int answeredWithoutParts() {
        return (int) byClientId.values().stream()
                .filter(a -> a.answerSeq != -1 && a.firstPartNanos == null).count();
    }

    /** First parts that came before their question's echo (the two take different paths). */
    synchronized int partsBeforeEcho() {
        return partsBeforeEcho;
    }

    synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    private static long micros(long nanos) {
        return Math.max(0, nanos / 1_000);
    }
}
