package io.kchat.processor.user;

import io.kchat.events.ChatMessage;
import io.kchat.events.LoggedEvent;
import io.kchat.events.PendingDelivered;
import io.kchat.events.UserState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the next move of a user's delivered frontier announces: the messages from others above it, marked in the
 * user's state as they are appended, so that an ack does not read back and decode the acked part of the log (that
 * scan took 9 % of the stream thread, docs/performance.md). The marks are bounded: past {@link #MAX_MARKS} the oldest
 * give way, and those messages, like every message of a log written before marks existed, are found in the log
 * ({@code unmarkedUpTo}). Invariant: every mark is above {@code unmarkedUpTo}, in userSeq order.
 */
final class PendingDeliveries {

    /** A user who acks keeps a few; one offline for long stops at this many, about 2 KiB of state. */
    static final int MAX_MARKS = 32;

    private PendingDeliveries() {
    }

    /** After {@code logged} became the newest event of {@code userId}'s log: marks it when it is a message from others. */
    static void appended(UserState state, String userId, LoggedEvent logged) {
        ChatMessage message = fromOthers(logged, userId);
        if (message == null || logged.getUserSeq() <= state.getUnmarkedUpTo()) {
            return;
        }
        List<PendingDelivered> marks = state.getPendingDelivered();
        if (marks.size() >= MAX_MARKS) {
            state.setUnmarkedUpTo(marks.removeFirst().getUserSeq());
        }
        marks.add(new PendingDelivered(message.getConversationId(), logged.getUserSeq(), message.getSeq()));
    }

    /**
     * Per conversation, the highest seq of the messages from others with {@code from < userSeq <= to}, in the log
     * order of each conversation's first one; forgets everything at or below {@code to}, which the frontier passes.
     */
    static Map<String, Long> takeUpTo(UserState state, UserLog log, String userId, long from, long to) {
        Map<String, Long> upTo = new LinkedHashMap<>();
        log.forEach(userId, from + 1, Math.min(to, state.getUnmarkedUpTo()), logged -> {
            ChatMessage message = fromOthers(logged, userId);
            if (message != null) {
                upTo.merge(message.getConversationId(), message.getSeq(), Math::max);
            }
        });
        List<PendingDelivered> marks = state.getPendingDelivered();
        int passed = 0;
        while (passed < marks.size() && marks.get(passed).getUserSeq() <= to) {
            PendingDelivered mark = marks.get(passed++);
            if (mark.getUserSeq() > from) {
                upTo.merge(mark.getConversationId(), mark.getSeq(), Math::max);
            }
        }
        marks.subList(0, passed).clear();
        long unmarked = Math.min(state.getUnmarkedUpTo(), state.getLastUserSeq());
        state.setUnmarkedUpTo(unmarked <= to ? 0 : unmarked);
        return upTo;
    }

    /** The event as a message someone else sent, which a delivered frontier announces; null for anything else. */
    private static ChatMessage fromOthers(LoggedEvent logged, String userId) {
        return logged.getEvent().getPayload() instanceof ChatMessage message && !message.getSenderId().equals(userId)
                ? message : null;
    }

    /** Trimmed before any device acked them (retention, or no device left): never delivered, nothing to announce. */
    static void trimmedBelow(UserState state, long oldestUserSeq) {
        state.getPendingDelivered().removeIf(mark -> mark.getUserSeq() < oldestUserSeq);
    }
}
