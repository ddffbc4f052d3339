package io.kchat.bench;

import java.nio.ByteBuffer;

/**
 * A Kafka floor record: the message's index in the schedule and the member it is for (-1 before the fan-out),
 * padded to the size of a live record so that the broker moves as many bytes.
 */
record FloorRecord(int index, int member) {

    static final int HEADER_BYTES = 8;
    static final int BEFORE_FAN_OUT = -1;

    byte[] encode(int size) {
        return ByteBuffer.allocate(Math.max(HEADER_BYTES, size)).putInt(index).putInt(member).array();
    }

    static FloorRecord decode(byte[] value) {
        ByteBuffer buffer = ByteBuffer.wrap(value);
        return new FloorRecord(buffer.getInt(), buffer.getInt());
    }

    /** The same record (same size, same padding) addressed to {@code newMember}. */
    static byte[] forMember(byte[] value, int newMember) {
        byte[] copy = value.clone();
        ByteBuffer.wrap(copy).putInt(Integer.BYTES, newMember);
        return copy;
    }
}
