package io.kchat.processor.streams;

/**
 * Moves a quiet input partition's stream time: writes a {@code StreamTick} to it. What a processor holds back (the
 * conversation side's receipts, the user side's delivered frontiers) goes out when the partition's time passes its
 * due time, and that time only moves with input; on a partition nobody writes to any more, a tick is that input.
 * Called from a wall-clock punctuation ({@link StallWatch}), outside the task's transaction: the tick is an ordinary
 * input record, so the processing stays a function of the input (D2). Must not block for long: it runs on the stream
 * thread. One instance per input topic.
 */
@FunctionalInterface
public interface IdleTicks {

    /** Writes nothing: for tests that move stream time themselves. */
    IdleTicks NONE = (partition, at) -> { };

    /** Asks for a tick stamped {@code at} (epoch ms) in {@code partition} of this instance's topic. */
    void tick(int partition, long at);
}
