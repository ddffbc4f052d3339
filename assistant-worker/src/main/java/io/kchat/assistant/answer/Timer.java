package io.kchat.assistant.answer;

import java.time.Duration;

/** Runs a task once after a delay, on some other thread. */
@FunctionalInterface
public interface Timer {

    void schedule(Duration delay, Runnable task);
}
