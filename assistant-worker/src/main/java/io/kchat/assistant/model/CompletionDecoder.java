package io.kchat.assistant.model;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the bytes of a chat-completions answer, as they arrive, into {@link CompletionChunk}s: a server-sent event
 * stream of {@code data: {json}} events, or one JSON completion when the server did not stream. The first byte that
 * is not white space tells which ({@code {} starts JSON, never an event stream), not the content type: servers and
 * proxies get that wrong both ways. Both are bounded by the response cap.
 *
 * <p>Stricter than the SSE specification on purpose: a line that is no SSE field ({@code data}, {@code event},
 * {@code id}, {@code retry}) or comment is garbage rather than ignored, so that an HTML page or a proxy's text fails
 * fast instead of waiting for a timeout.
 */
final class CompletionDecoder {

    private enum Form { UNKNOWN, EVENTS, JSON }

    private final int maxBytes;
    private final LineSplitter lines;
    private Form form;
    private StringBuilder data;
    private final ByteArrayOutputStream json = new ByteArrayOutputStream();
    private int events;

    CompletionDecoder(int maxBytes) {
        this.maxBytes = maxBytes;
        this.lines = new LineSplitter(maxBytes);
        this.form = Form.UNKNOWN;
    }

    /** The chunks this buffer completes. */
    List<CompletionChunk> feed(ByteBuffer buffer) throws AttemptFailure {
        if (form == Form.UNKNOWN) {
            sniff(buffer);
        }
        List<CompletionChunk> chunks = new ArrayList<>();
        switch (form) {
            case EVENTS -> {
                for (String line : lines.feed(buffer)) {
                    line(line, chunks);
                }
            }
            case JSON -> {
                if (json.size() + buffer.remaining() > maxBytes) {
                    throw AttemptFailure.retryable(FailureKind.GARBAGE, "a JSON answer beyond " + maxBytes + " bytes");
                }
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                json.writeBytes(bytes);
            }
            case UNKNOWN -> buffer.position(buffer.limit()); // only white space so far
        }
        return chunks;
    }

    /** The chunks the end of the body completes. */
    List<CompletionChunk> end() throws AttemptFailure {
        List<CompletionChunk> chunks = new ArrayList<>();
        switch (form) {
            case EVENTS -> {
                var last = lines.end();
                if (last.isPresent()) {
                    line(last.get(), chunks);
                }
                dispatch(chunks); // an event without its closing blank line: taken rather than lost
            }
            case JSON -> {
                events++;
                chunks.add(CompletionChunk.complete(json.toString(StandardCharsets.UTF_8)));
            }
            case UNKNOWN -> {
            }
        }
        return chunks;
    }

    /** How many events (or whole completions) were read: a body that ends without any was no answer at all. */
    int events() {
        return events;
    }

    private void sniff(ByteBuffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            byte b = buffer.get(i);
            if (!Character.isWhitespace(b)) {
                form = b == '{' ? Form.JSON : Form.EVENTS;
                return;
            }
        }
    }

    private void line(String line, List<CompletionChunk> chunks) throws AttemptFailure {
        if (line.isEmpty()) {
            dispatch(chunks);
            return;
        }
        if (line.startsWith(":")) {
            return; // a comment, such as a keep-alive
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        switch (field) {
            case "data" -> {
                if (data == null) {
                    data = new StringBuilder();
                } else {
                    data.append('\n');
                }
                if (data.length() + value.length() > maxBytes) {
                    throw AttemptFailure.retryable(FailureKind.GARBAGE, "an event beyond " + maxBytes + " bytes");
                }
                data.append(value);
            }
            case "event", "id", "retry" -> {
            }
            default -> throw AttemptFailure.retryable(FailureKind.GARBAGE, "a line that is no server-sent event");
        }
    }

    private void dispatch(List<CompletionChunk> chunks) throws AttemptFailure {
        if (data != null) {
            String payload = data.toString();
            data = null;
            events++;
            chunks.add(CompletionChunk.streamed(payload));
        }
    }
}
