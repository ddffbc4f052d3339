package io.kchat.assistant.model;

import java.time.Duration;

/** The pause between two attempts; tests replace it to see the pauses without waiting them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> Thread.sleep(duration);

    void sleep(Duration duration) throws InterruptedException;
}
