package io.kchat.observability;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.slf4j.MDC;

/**
 * The correlation id that follows one client frame (or HTTP request) through the system: assigned by the
 * gateway, kept in the logging MDC ({@value #MDC_KEY}) while a thread works for it, and carried from service to
 * service in the Kafka record header {@value #HEADER}: gateway, processor (Streams keeps a record's headers on
 * what it forwards), delivery-service, and the gateway again when it pushes the result to a socket.
 *
 * <p>For logs and tracing only: never a key, never trusted as unique. Ids read from outside (a client's message
 * id, a record header anyone with write access could set) are cut to {@value #MAX_LENGTH} characters of
 * {@code [A-Za-z0-9._:-]}, so that they cannot forge log lines.
 */
public final class Correlation {

    public static final String HEADER = "kchat-correlation-id";
    public static final String MDC_KEY = "correlationId";
    static final int MAX_LENGTH = 64;
    /** Enough to tell the frames of a day apart in the logs: not a key, collisions are harmless. */
    private static final int RANDOM_BYTES = 8;

    private Correlation() {
    }

    /** A fresh id: 16 hex digits. */
    public static String newId() {
        byte[] random = new byte[RANDOM_BYTES];
        ThreadLocalRandom.current().nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /**
     * An id for a client's send that still shows the client's own message {@code id} (what a user quotes to
     * support), behind a random prefix: two clients, or one client's retries, may use the same {@code id}.
     */
    public static String forClientId(String clientId) {
        String prefix = newId().substring(0, 8);
        return clientId == null || clientId.isBlank() ? newId() : sanitize(prefix + "." + clientId);
    }

    /** The id of the work this thread is doing, or {@code null}. */
    public static String current() {
        return MDC.get(MDC_KEY);
    }

    /** The id of the work this thread is doing, or a fresh one (e.g. for a timer's write). */
    public static String currentOrNew() {
        String id = current();
        return id == null ? newId() : id;
    }

    /** The id a record carries, or {@code null}. */
    public static String of(Headers headers) {
        Header header = headers == null ? null : headers.lastHeader(HEADER);
        if (header == null || header.value() == null) {
            return null;
        }
        String id = sanitize(new String(header.value(), StandardCharsets.UTF_8));
        return id.isEmpty() ? null : id;
    }

    /** Sets the record's id (replacing any). */
    public static void put(Headers headers, String id) {
        headers.remove(HEADER);
        headers.add(HEADER, id.getBytes(StandardCharsets.UTF_8));
    }

    /** Puts {@code id} in this thread's MDC until the scope closes (a null id leaves the MDC as it is). */
    public static Scope open(String id) {
        String previous = MDC.get(MDC_KEY);
        if (id != null) {
            MDC.put(MDC_KEY, id);
        }
        return new Scope(previous, id != null);
    }

    /** Puts the id a record carries in this thread's MDC until the scope closes. */
    public static Scope open(Headers headers) {
        return open(of(headers));
    }

    static String sanitize(String raw) {
        StringBuilder id = new StringBuilder(Math.min(raw.length(), MAX_LENGTH));
        for (int i = 0; i < raw.length() && id.length() < MAX_LENGTH; i++) {
            char c = raw.charAt(i);
            boolean plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '.' || c == '_' || c == ':' || c == '-';
            id.append(plain ? c : '_');
        }
        return id.toString();
    }

    /** Restores the MDC as it was when the scope opened. */
    public static final class Scope implements AutoCloseable {

        private final String previous;
        private final boolean changed;

        private Scope(String previous, boolean changed) {
            this.previous = previous;
            this.changed = changed;
        }

        @Override
        public void close() {
            if (!changed) {
                return;
            }
            if (previous == null) {
                MDC.remove(MDC_KEY);
            } else {
                MDC.put(MDC_KEY, previous);
            }
        }
    }
}
