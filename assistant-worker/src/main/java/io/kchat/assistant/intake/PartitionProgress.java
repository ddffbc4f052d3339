package io.kchat.assistant.intake;

import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The commit watermark of one partition (D15): the offset to commit is the first question whose answer Kafka has not
 * acknowledged, or past everything read when there is none, so a commit never passes an unanswered question however
 * many later ones are answered. Thread-safe: the consumer adds and commits, answers complete.
 */
public final class PartitionProgress {

    private final TreeSet<Long> unanswered = new TreeSet<>();
    private long readUpTo = -1;
    private long committed = -1;

    /** A record read, in offset order; {@code question} when it waits for an answer. */
    public synchronized void add(long offset, boolean question) {
        readUpTo = Math.max(readUpTo, offset + 1);
        if (question) {
            unanswered.add(offset);
        }
    }

    /** The question's answer is acknowledged. */
    public synchronized void complete(long offset) {
        unanswered.remove(offset);
    }

    /** The offset to commit now, when it moved past the last one {@link #committed}. */
    public synchronized OptionalLong toCommit() {
        long watermark = unanswered.isEmpty() ? readUpTo : unanswered.first();
        return watermark > committed ? OptionalLong.of(watermark) : OptionalLong.empty();
    }

    public synchronized void committed(long offset) {
        committed = Math.max(committed, offset);
    }

    /** Questions read and not answered yet. */
    public synchronized int unanswered() {
        return unanswered.size();
    }
}
