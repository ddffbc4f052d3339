package io.kchat.fault;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One frame a device received, in arrival order, on its {@code connection}-th socket (1, 2, ...), at
 * {@code receivedAtNanos} ({@link System#nanoTime()}, 0 when not known). A reconnect starts a new connection: its
 * replay may repeat what an earlier one carried.
 */
record ReceivedFrame(int connection, JsonNode frame, long receivedAtNanos) {

    ReceivedFrame(int connection, JsonNode frame) {
        this(connection, frame, 0);
    }

    String type() {
        return frame.path("type").asText();
    }

    /** Whether the frame is an event of the user's log (message, receipt, conversation, refused send). */
    boolean hasUserSeq() {
        return frame.hasNonNull("userSeq");
    }

    long userSeq() {
        return frame.path("userSeq").asLong();
    }
}
