package io.kchat.assistant;

/** A started assistant worker, or an idle one when the assistant is off. */
public interface AssistantService extends AutoCloseable {

    /** Blocks until the worker ends: by {@link #close()}, or by a failure ({@link #failure()}). */
    void awaitTermination() throws InterruptedException;

    /** Why the worker stopped on its own, or {@code null}. */
    Throwable failure();

    @Override
    void close();
}
