package io.kchat.assistant.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cuts a byte stream into UTF-8 lines (ending in LF or CRLF), whatever the buffers' boundaries; a character split
 * between two buffers stays whole. A line longer than the cap is refused: a server sending a line without end must not
 * make us hold it all.
 */
final class LineSplitter {

    private final int maxLineBytes;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    LineSplitter(int maxLineBytes) {
        this.maxLineBytes = maxLineBytes;
    }

    /** The lines this buffer completes, without their line ends. */
    List<String> feed(ByteBuffer buffer) throws AttemptFailure {
        List<String> lines = new ArrayList<>();
        while (buffer.hasRemaining()) {
            byte b = buffer.get();
            if (b == '\n') {
                lines.add(take());
            } else {
                if (line.size() >= maxLineBytes) {
                    throw AttemptFailure.retryable(FailureKind.GARBAGE, "a line beyond " + maxLineBytes + " bytes");
                }
                line.write(b);
            }
        }
        return lines;
    }

    /** The last line when the stream ended without a line end after it. */
    Optional<String> end() {
        return line.size() == 0 ? Optional.empty() : Optional.of(take());
    }

    private String take() {
        byte[] bytes = line.toByteArray();
        line.reset();
        int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }
}
