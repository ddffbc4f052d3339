package io.kchat.processor.conversation;

import io.kchat.events.ConversationState;
import io.kchat.events.Receipt;
import io.kchat.processor.streams.DueIndex;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The conversation side of the quiet acknowledgement wave (D18): a conversation's receipts cross to its members at
 * most once per {@code interval}. A cursor still moves at once; its receipt is held in the conversation's state when the
 * conversation announced less than an interval ago, the newest per member and kind (API.md lets a later receipt
 * replace an earlier one not yet sent), and the held ones go out together with the first receipt an interval after the
 * last announcement, or with the first input record (a {@code StreamTick} on a quiet partition) whose time reaches that
 * moment. A quiet conversation pays nothing: its first receipt after a pause goes at once.
 *
 * <p>Every time here is an input record's time, never the wall clock (D2), and held receipts go out while an input
 * record is processed, never from a punctuation: their outputs carry that record's {@code Origin}, which the user side
 * needs to recognise a repeat. Conversations holding receipts are indexed by due time in {@link #STORE}.
 */
final class ReceiptWave {

    static final String STORE = "conversation-receipts-held";

    private final long intervalMs;
    private final DueIndex held = new DueIndex();

    ReceiptWave(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    void init(KeyValueStore<String, String> store) {
        held.init(store);
    }

    boolean enabled() {
        return intervalMs > 0;
    }

    /** How often the wall clock is looked at for a stalled partition: a held receipt waits at most half an interval more. */
    Duration tickPeriod() {
        return Duration.ofMillis(Math.max(1, intervalMs / 2));
    }

    boolean anyHeld() {
        return held.anyHeld();
    }

    /** The conversations whose held receipts are due at record time {@code now}, taken out of the index. */
    List<String> takeDue(long now) {
        return held.anyDue(now) ? held.takeDue(now) : List.of();
    }

    /**
     * A receipt whose cursor moved at record time {@code now}: the receipts to send now, the held ones with it, or none
     * when it is held too.
     */
    List<Receipt> moved(String conversationId, ConversationState state, Receipt receipt, long now) {
        boolean wasHeld = !state.getHeldReceipts().isEmpty();
        hold(state, receipt);
        long due = state.getReceiptsAnnouncedAt() + intervalMs;
        // now before the last announcement: records come stamped by several clocks (gateways, the processor's
        // ticks), and one running ahead must not hold everyone else's receipts until the others catch up with it
        if (!enabled() || now >= due || now < state.getReceiptsAnnouncedAt()) {
            if (wasHeld) {
                held.remove(due, conversationId);
            }
            return takeHeld(state, now);
        }
        if (!wasHeld) {
            held.put(due, conversationId);
        }
        return List.of();
    }

    /** Every receipt the conversation holds, announced at {@code now}; none (and nothing changed) when it holds none. */
    List<Receipt> takeHeld(ConversationState state, long now) {
        if (state.getHeldReceipts().isEmpty()) {
            return List.of();
        }
        List<Receipt> announced = new ArrayList<>(state.getHeldReceipts());
        state.getHeldReceipts().clear();
        state.setReceiptsAnnouncedAt(now);
        return announced;
    }

    private static void hold(ConversationState state, Receipt receipt) {
        List<Receipt> receipts = state.getHeldReceipts();
        for (int i = 0; i < receipts.size(); i++) {
            Receipt other = receipts.get(i);
            if (other.getUserId().equals(receipt.getUserId()) && other.getKind() == receipt.getKind()) {
                // cursors only move forward, so the newer receipt is the further one
                receipts.set(i, receipt);
                return;
            }
        }
        receipts.add(receipt);
    }
}
