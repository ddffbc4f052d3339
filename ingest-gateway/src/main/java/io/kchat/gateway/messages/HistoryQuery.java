package io.kchat.gateway.messages;

import io.kchat.gateway.errors.Refusal;

/**
 * One page of a conversation's history (docs/api.md): the {@code limit} newest messages, or those below
 * {@code before} (the newest of them), or above {@code after} (the oldest of them), or between both (the
 * oldest of that range). Pages are always returned in ascending seq.
 *
 * @param before exclusive upper bound, or null
 * @param after  exclusive lower bound, or null
 */
public record HistoryQuery(Long before, Long after, int limit) {

    public static final int DEFAULT_LIMIT = 50;
    public static final int MAX_LIMIT = 100;

    /** @throws Refusal 400 for a limit outside 1..{@value #MAX_LIMIT} or a negative bound */
    public HistoryQuery {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.invalid("invalid limit", "limit must be between 1 and " + MAX_LIMIT);
        }
        if ((before != null && before < 0) || (after != null && after < 0)) {
            throw Refusal.invalid("invalid bound", "before and after must be non-negative integers");
        }
    }

    /** Without {@code after} the page sits at the upper end of the range; with it, at the lower end. */
    boolean fromTheTop() {
        return after == null;
    }

    long lowerExclusive() {
        return after == null ? 0 : after;
    }

    long upperExclusive() {
        return before == null ? Long.MAX_VALUE : before;
    }
}
