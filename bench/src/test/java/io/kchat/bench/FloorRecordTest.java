package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FloorRecordTest {

    @Test
    void survivesTheRoundTripPaddedToTheLiveRecordSize() {
        byte[] value = new FloorRecord(123_456, FloorRecord.BEFORE_FAN_OUT).encode(224);

        assertEquals(224, value.length);
        assertEquals(new FloorRecord(123_456, -1), FloorRecord.decode(value));
    }

    @Test
    void theFanOutCopyNamesItsMemberAndKeepsTheSize() {
        byte[] value = new FloorRecord(7, FloorRecord.BEFORE_FAN_OUT).encode(100);

        byte[] copy = FloorRecord.forMember(value, 3);

        assertEquals(new FloorRecord(7, 3), FloorRecord.decode(copy));
        assertEquals(100, copy.length);
        assertEquals(new FloorRecord(7, -1), FloorRecord.decode(value));
    }
}
