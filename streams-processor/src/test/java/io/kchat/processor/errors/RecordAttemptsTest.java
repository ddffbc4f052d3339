package io.kchat.processor.errors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RecordAttemptsTest {

    private static final RecordPosition A = new RecordPosition("chat.inbound", 0, 7);
    private static final RecordPosition B = new RecordPosition("chat.inbound", 1, 7);
    private static final RecordPosition C = new RecordPosition("chat.user-inbound", 0, 7);

    @Test
    void countsTheFailuresOfEachPositionApart() {
        RecordAttempts attempts = new RecordAttempts(10);

        assertEquals(1, attempts.failed(A));
        assertEquals(2, attempts.failed(A));
        assertEquals(1, attempts.failed(B));
        assertEquals(1, attempts.failed(C));
        assertEquals(3, attempts.failed(A));
        assertEquals(1, attempts.failed(new RecordPosition("chat.inbound", 0, 8)));
    }

    @Test
    void forgetsTheLeastRecentlyFailedPositionBeyondItsCapacity() {
        RecordAttempts attempts = new RecordAttempts(2);
        attempts.failed(A);
        attempts.failed(B);
        attempts.failed(A);

        attempts.failed(C);

        assertEquals(2, attempts.size());
        assertEquals(3, attempts.failed(A), "failed most recently: kept");
        assertEquals(1, attempts.failed(B), "failed least recently: forgotten, counted from the start again");
    }

    @Test
    void refusesNoRoomAtAll() {
        assertThrows(IllegalArgumentException.class, () -> new RecordAttempts(0));
    }
}
