package io.kchat.processor.user;

import io.kchat.events.DeliveredUpTo;
import io.kchat.events.HeldDelivered;
import io.kchat.events.InboundCommand;
import io.kchat.events.UserState;
import io.kchat.processor.streams.DueIndex;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The quiet acknowledgement wave (D18): a user's delivered frontiers cross back to their conversations at most once
 * per {@code interval}. An ack whose user announced less than an interval ago holds its frontiers in the user's state
 * (the newest per conversation; API.md lets a later receipt replace an earlier one), and they go out together with
 * the first ack an interval after the last announcement, or when stream time reaches that moment. A quiet
 * conversation pays nothing: its first ack after a pause announces at once.
 *
 * <p>Every time here is a record time: the ack's, or the stream time of a punctuation, never the wall clock (D2).
 * Users holding frontiers are indexed by due time in {@link #STORE} ({@link DueIndex}), so that a punctuation reads
 * only the due ones.
 */
final class DeliveredWave {

    static final String STORE = "user-delivered-held";

    private final long intervalMs;
    private final DueIndex held = new DueIndex();

    DeliveredWave(Duration interval) {
        this.intervalMs = interval.toMillis();
    }

    void init(KeyValueStore<String, String> store) {
        held.init(store);
    }

    /** How often stream time is looked at for due frontiers: a held one waits at most half an interval longer. */
    Duration punctuationInterval() {
        return Duration.ofMillis(Math.max(1, intervalMs / 2));
    }

    boolean enabled() {
        return intervalMs > 0;
    }

    /** Frontiers an ack moved, per conversation: announced now if the user's last announcement is old enough. */
    void moved(UserOutput out, UserState state, Map<String, Long> upTo) {
        if (upTo.isEmpty()) {
            return;
        }
        boolean wasHeld = !state.getHeldDelivered().isEmpty();
        upTo.forEach((conversationId, seq) -> hold(state, conversationId, seq));
        long now = out.recordTime().toEpochMilli();
        long due = state.getDeliveredAnnouncedAt() + intervalMs;
        if (!enabled() || now >= due) {
            if (wasHeld) {
                held.remove(due, out.userId());
            }
            announce(out, state);
        } else if (!wasHeld) {
            held.put(due, out.userId());
        }
    }

    /** The users whose held frontiers are due at stream time {@code now}, taken out of the index. */
    List<String> takeDue(long now) {
        return held.takeDue(now);
    }

    /** Whether any user holds frontiers: only then does a stalled stream time need a tick. */
    boolean anyHeld() {
        return held.anyHeld();
    }

    /** Sends every held frontier of the user as a DeliveredUpTo to its conversation, stamped with {@code out}'s time. */
    void announce(UserOutput out, UserState state) {
        List<HeldDelivered> frontiers = state.getHeldDelivered();
        if (frontiers.isEmpty()) {
            return;
        }
        Instant at = out.recordTime();
        for (HeldDelivered frontier : frontiers) {
            out.toConversation(frontier.getConversationId(), new InboundCommand(
                    commandId(out.userId(), frontier.getConversationId(), frontier.getSeq()), at,
                    new DeliveredUpTo(out.userId(), frontier.getSeq())));
        }
        frontiers.clear();
        state.setDeliveredAnnouncedAt(at.toEpochMilli());
    }

    /** Derived from its content, so a replay after an abort repeats the same id (D2). */
    static String commandId(String userId, String conversationId, long seq) {
        return "delivered:" + userId + ":" + conversationId + ":" + seq;
    }

    private static void hold(UserState state, String conversationId, long seq) {
        for (HeldDelivered frontier : state.getHeldDelivered()) {
            if (frontier.getConversationId().equals(conversationId)) {
                frontier.setSeq(Math.max(frontier.getSeq(), seq));
                return;
            }
        }
        state.getHeldDelivered().add(new HeldDelivered(conversationId, seq));
    }
}
