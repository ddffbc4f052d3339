package io.kchat.processor.conversation;

import io.kchat.events.ConversationState;
import io.kchat.events.DeliveredCursor;
import io.kchat.events.ReadCursor;
import java.util.OptionalLong;

/**
 * Members' read and delivered cursors in a conversation. A cursor only moves forward and never past
 * the last seq, so a burst of reads or acks yields at most one receipt per advance, and a replayed or
 * reordered command changes nothing.
 */
final class MemberCursors {

    private MemberCursors() {
    }

    /** Where {@code userId} has read up to; 0 before their first read. */
    static long readSeq(ConversationState state, String userId) {
        for (ReadCursor cursor : state.getReadCursors()) {
            if (cursor.getUserId().equals(userId)) {
                return cursor.getReadSeq();
            }
        }
        return 0;
    }

    /** The new read cursor of {@code userId} when {@code seq} moved it forward; empty otherwise. */
    static OptionalLong advanceRead(ConversationState state, String userId, long seq) {
        long target = Math.min(seq, state.getLastSeq());
        for (ReadCursor cursor : state.getReadCursors()) {
            if (cursor.getUserId().equals(userId)) {
                if (target <= cursor.getReadSeq()) {
                    return OptionalLong.empty();
                }
                cursor.setReadSeq(target);
                return OptionalLong.of(target);
            }
        }
        if (target <= 0) {
            return OptionalLong.empty();
        }
        state.getReadCursors().add(new ReadCursor(userId, target));
        return OptionalLong.of(target);
    }

    /** The new delivered cursor of {@code userId} when {@code seq} moved it forward; empty otherwise. */
    static OptionalLong advanceDelivered(ConversationState state, String userId, long seq) {
        long target = Math.min(seq, state.getLastSeq());
        for (DeliveredCursor cursor : state.getDeliveredCursors()) {
            if (cursor.getUserId().equals(userId)) {
                if (target <= cursor.getDeliveredSeq()) {
                    return OptionalLong.empty();
                }
                cursor.setDeliveredSeq(target);
                return OptionalLong.of(target);
            }
        }
        if (target <= 0) {
            return OptionalLong.empty();
        }
        state.getDeliveredCursors().add(new DeliveredCursor(userId, target));
        return OptionalLong.of(target);
    }

    /** A removed member's cursors, and its receipts not sent yet, go with it; should it be added again, it starts from scratch. */
    static void dropNonMembers(ConversationState state) {
        state.getHeldReceipts().removeIf(receipt -> !ConversationCommandProcessor.isMember(state, receipt.getUserId()));
        state.getReadCursors().removeIf(cursor -> !ConversationCommandProcessor.isMember(state, cursor.getUserId()));
        state.getDeliveredCursors().removeIf(cursor -> !ConversationCommandProcessor.isMember(state, cursor.getUserId()));
    }
}
