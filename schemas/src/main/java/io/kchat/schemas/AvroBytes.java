package io.kchat.schemas;

import java.nio.ByteBuffer;

/**
 * An Avro {@code bytes} field as an array. Decoded records hold them as buffers whose position reading would move,
 * and a record may be read or written again (a replay, several recipients): the copy leaves the buffer as it was.
 */
public final class AvroBytes {

    private AvroBytes() {
    }

    /** The buffer's remaining content, without moving it. */
    public static byte[] copy(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return copy;
    }
}
