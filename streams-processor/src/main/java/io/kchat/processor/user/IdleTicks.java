package io.kchat.processor.user;

/**
 * Moves a quiet {@code chat.user-inbound} partition's stream time: writes a {@code StreamTick} to it. Frontiers the
 * user side holds back ({@link DeliveredWave}) go out when stream time passes their due time, and stream time only
 * moves with input; on a partition nobody writes to any more, a tick is that input. Called from a wall-clock
 * punctuation, outside the task's transaction: the tick is an ordinary input record, so the processing stays a
 * function of the input (D2). Must not block for long: it runs on the stream thread.
 */
@FunctionalInterface
public interface IdleTicks {

    /** Writes nothing: for tests that move stream time themselves. */
    IdleTicks NONE = (partition, at) -> { };

    /** Asks for a tick stamped {@code at} (epoch ms) in {@code partition} of chat.user-inbound. */
    void tick(int partition, long at);
}
