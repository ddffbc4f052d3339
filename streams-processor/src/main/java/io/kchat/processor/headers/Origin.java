package io.kchat.processor.headers;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Where a conversation-side output to {@code chat.user-inbound} came from: the {@code chat.inbound}
 * partition and offset of the input record, and the output's index among that record's outputs. Carried as
 * the {@value #HEADER} header (16 bytes: int partition, long offset, int index, big-endian).
 *
 * <p>Why: the user side reads {@code chat.user-inbound} uncommitted (D3), so after an aborted transaction
 * of the conversation side it sees the aborted fan-out and then its replay, which D2 makes identical and
 * which carries the same origins. Per user and partition the origins of the outputs that count only
 * grow, so anything at or below the last one applied is a repeat.
 */
public record Origin(int partition, long offset, int index) implements Comparable<Origin> {

    public static final String HEADER = "kchat-origin";
    private static final int SIZE = Integer.BYTES + Long.BYTES + Integer.BYTES;

    /** Replaces any origin the headers carry (an input can carry its own upstream's). */
    public void stamp(Headers headers) {
        headers.remove(HEADER);
        headers.add(HEADER, ByteBuffer.allocate(SIZE).putInt(partition).putLong(offset).putInt(index).array());
    }

    /** The origin in the headers; empty when there is none (the record was not written by the conversation side). */
    public static Optional<Origin> of(Headers headers) {
        Header header = headers.lastHeader(HEADER);
        if (header == null || header.value() == null || header.value().length != SIZE) {
            return Optional.empty();
        }
        ByteBuffer bytes = ByteBuffer.wrap(header.value());
        return Optional.of(new Origin(bytes.getInt(), bytes.getLong(), bytes.getInt()));
    }

    /** Order within one partition: by offset, then index. */
    @Override
    public int compareTo(Origin other) {
        int byOffset = Long.compare(offset, other.offset);
        return byOffset != 0 ? byOffset : Integer.compare(index, other.index);
    }
}
