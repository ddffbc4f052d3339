package io.kchat.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One socket's view of one open-loop run: its messages are those whose client id carries the run's prefix (frames
 * of an earlier run arriving late are ignored), checked for duplicates and order per socket, then counted in the
 * shared {@link MessageLedger}.
 */
final class StageEvents implements ChatSocket.Events {

    private static final Logger log = LoggerFactory.getLogger(StageEvents.class);

    private final String prefix;
    private final MessageLedger ledger;
    private final RecipientLedger received = new RecipientLedger();
    private final LongAdder errors;
    private final LongAdder windowDeliveries;

    /**
     * @param errors           shared by all sockets of the run: {@code error} frames, whatever they answer
     * @param windowDeliveries counts this socket's deliveries that arrived inside the measured window (shared by the
     *                         sockets of one gateway)
     */
    StageEvents(String prefix, MessageLedger ledger, LongAdder errors, LongAdder windowDeliveries) {
        this.prefix = prefix;
        this.ledger = ledger;
        this.errors = errors;
        this.windowDeliveries = windowDeliveries;
    }

    /** The client id (and ref) of message number {@code index} of this run. */
    static String id(String prefix, int index) {
        return prefix + index;
    }

    @Override
    public void message(ChatSocket socket, JsonNode frame, long arrivedNanos) {
        int index = index(frame.path("id").asText());
        if (index < 0) {
            return;
        }
        RecipientLedger.Verdict verdict = received.accept(frame.path("conversationId").asText(),
                frame.path("seq").asLong(), frame.path("userSeq").asLong());
        if (socket.userId().equals(frame.path("senderId").asText())) {
            ledger.echoed(index, arrivedNanos, verdict);
        } else {
            if (ledger.delivered(index, arrivedNanos, verdict)) {
                windowDeliveries.increment();
            }
        }
    }

    @Override
    public void ok(ChatSocket socket, String ref, long arrivedNanos) {
        int index = index(ref);
        if (index >= 0) {
            ledger.ok(index, arrivedNanos);
        }
    }

    @Override
    public void error(ChatSocket socket, JsonNode frame) {
        errors.increment();
        if (errors.sum() <= 5) {
            log.warn("error frame on the socket of {}: {}", socket.userId(), frame);
        }
        int index = index(frame.hasNonNull("ref") ? frame.path("ref").asText() : frame.path("id").asText());
        if (index >= 0) {
            ledger.refused(index);
        }
    }

    private int index(String id) {
        if (id == null || !id.startsWith(prefix)) {
            return -1;
        }
        try {
            int index = Integer.parseInt(id, prefix.length(), id.length(), 10);
            return ledger.knows(index) ? index : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
