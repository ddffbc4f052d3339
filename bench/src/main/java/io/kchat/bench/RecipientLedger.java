package io.kchat.bench;

import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;

/**
 * What one recipient (one socket, or one member in the Kafka floor) received: a {@code message} is a duplicate when
 * its {@code (conversationId, seq)} or its {@code userSeq} was already received here, and out of order when its
 * {@code seq} is below one already received in the same conversation. The bench never reconnects a socket, so the
 * replays the API allows after a reconnect cannot occur: every repeat counts. Confined to one thread.
 */
final class RecipientLedger {

    enum Verdict { IN_ORDER, OUT_OF_ORDER, DUPLICATE }

    /** No userSeq to check (the Kafka floor has none). */
    static final long NO_USER_SEQ = -1;

    private final Map<String, Track> conversations = new HashMap<>();
    private final BitSet userSeqs = new BitSet();

    Verdict accept(String conversationId, long seq, long userSeq) {
        Track track = conversations.computeIfAbsent(conversationId, id -> new Track());
        int seqBit = bit(seq);
        boolean userSeqSeen = userSeq != NO_USER_SEQ && userSeqs.get(bit(userSeq));
        if (track.seen.get(seqBit) || userSeqSeen) {
            return Verdict.DUPLICATE;
        }
        track.seen.set(seqBit);
        if (userSeq != NO_USER_SEQ) {
            userSeqs.set(bit(userSeq));
        }
        if (seq < track.highest) {
            return Verdict.OUT_OF_ORDER;
        }
        track.highest = seq;
        return Verdict.IN_ORDER;
    }

    private static int bit(long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sequence number out of the bench's range: " + value);
        }
        return (int) value;
    }

    private static final class Track {
        private final BitSet seen = new BitSet();
        private long highest;
    }
}
