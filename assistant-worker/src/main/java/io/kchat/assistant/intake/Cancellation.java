package io.kchat.assistant.intake;

/**
 * Whether the work on a question was called off (its partition revoked, the worker closing). The answering thread is
 * interrupted too; this says why, since a stop interrupts it as well.
 */
@FunctionalInterface
public interface Cancellation {

    boolean cancelled();
}
