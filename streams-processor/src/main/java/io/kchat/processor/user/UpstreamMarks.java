package io.kchat.processor.user;

import io.kchat.events.UpstreamMark;
import io.kchat.events.UserState;
import io.kchat.processor.headers.Origin;
import java.util.List;

/**
 * Recognises the conversation side's repeats. Per user it keeps, for each {@code chat.inbound} partition,
 * the {@link Origin} of the last output applied. The conversation side processes a partition in order, so
 * the origins that count only grow; a repeat (a replay after an aborted transaction, or a fenced zombie's
 * write, both identical by D2) is at or below the mark.
 */
final class UpstreamMarks {

    private UpstreamMarks() {
    }

    /** True when {@code origin} is new for this user, and then records it; false for a repeat. */
    static boolean advance(UserState state, Origin origin) {
        List<UpstreamMark> marks = state.getUpstream();
        for (UpstreamMark mark : marks) {
            if (mark.getPartition() == origin.partition()) {
                if (origin.compareTo(new Origin(mark.getPartition(), mark.getOffset(), mark.getIndex())) <= 0) {
                    return false;
                }
                mark.setOffset(origin.offset());
                mark.setIndex(origin.index());
                return true;
            }
        }
        marks.add(new UpstreamMark(origin.partition(), origin.offset(), origin.index()));
        return true;
    }
}
