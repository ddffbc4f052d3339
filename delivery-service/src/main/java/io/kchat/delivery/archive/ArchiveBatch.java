package io.kchat.delivery.archive;

import io.kchat.events.ChatMessage;
import io.kchat.events.Receipt;
import io.kchat.events.ReceiptKind;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.avro.specific.SpecificRecord;

/**
 * What one polled batch of chat.messages and chat.receipts changes in the read models, folded so that
 * each row is written once: the messages, each conversation's highest seq and latest ts, and each
 * member's highest read and delivered seq (sending a message reads the conversation up to it).
 * Rows are sorted, so concurrent writers lock them in one order.
 */
record ArchiveBatch(List<ChatMessage> messages, SortedMap<String, Watermark> conversations,
                    SortedMap<MemberKey, Cursors> cursors) {

    /** A conversation's highest archived seq and its latest message time. */
    record Watermark(long lastSeq, Instant lastActivity) {
        Watermark max(Watermark other) {
            return new Watermark(Math.max(lastSeq, other.lastSeq),
                    lastActivity.isAfter(other.lastActivity) ? lastActivity : other.lastActivity);
        }
    }

    /** A member's read and delivered positions; 0 leaves a cursor as it is. */
    record Cursors(long readSeq, long deliveredSeq) {
        Cursors max(Cursors other) {
            return new Cursors(Math.max(readSeq, other.readSeq), Math.max(deliveredSeq, other.deliveredSeq));
        }
    }

    record MemberKey(String conversationId, String userId) implements Comparable<MemberKey> {
        private static final Comparator<MemberKey> ORDER =
                Comparator.comparing(MemberKey::conversationId).thenComparing(MemberKey::userId);

        @Override
        public int compareTo(MemberKey other) {
            return ORDER.compare(this, other);
        }
    }

    /** Folds decoded {@link ChatMessage}s and {@link Receipt}s; anything else is a programming error. */
    static ArchiveBatch of(List<? extends SpecificRecord> events) {
        List<ChatMessage> messages = new ArrayList<>();
        SortedMap<String, Watermark> conversations = new TreeMap<>();
        SortedMap<MemberKey, Cursors> cursors = new TreeMap<>();
        for (SpecificRecord event : events) {
            switch (event) {
                case ChatMessage m -> {
                    messages.add(m);
                    conversations.merge(m.getConversationId(), new Watermark(m.getSeq(), m.getTs()), Watermark::max);
                    cursors.merge(new MemberKey(m.getConversationId(), m.getSenderId()),
                            new Cursors(m.getSeq(), 0), Cursors::max);
                }
                case Receipt r -> cursors.merge(new MemberKey(r.getConversationId(), r.getUserId()),
                        r.getKind() == ReceiptKind.READ ? new Cursors(r.getSeq(), 0) : new Cursors(0, r.getSeq()),
                        Cursors::max);
                default -> throw new IllegalArgumentException("not archived: " + event.getClass().getSimpleName());
            }
        }
        messages.sort(Comparator.comparing(ChatMessage::getConversationId).thenComparingLong(ChatMessage::getSeq));
        return new ArchiveBatch(List.copyOf(messages), conversations, cursors);
    }

    /**
     * The watermarks and cursors without the messages: what a message the database refuses still moves, since its
     * seq is taken all the same (the updates of that message then know it will never be archived).
     */
    ArchiveBatch withoutMessages() {
        return new ArchiveBatch(List.of(), conversations, cursors);
    }

    /** For logs: which conversations and seqs, never message bodies. */
    static String describe(SpecificRecord event) {
        return switch (event) {
            case ChatMessage m -> "message " + m.getConversationId() + "#" + m.getSeq();
            case Receipt r -> r.getKind() + " receipt of " + r.getUserId() + " in " + r.getConversationId()
                    + " up to " + r.getSeq();
            default -> event.getClass().getSimpleName();
        };
    }
}
