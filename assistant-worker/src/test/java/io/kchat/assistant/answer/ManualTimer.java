package io.kchat.assistant.answer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A timer whose tasks run when the test says so. */
final class ManualTimer implements Timer {

    record Scheduled(Duration delay, Runnable task) {
    }

    final List<Scheduled> scheduled = new ArrayList<>();

    @Override
    public synchronized void schedule(Duration delay, Runnable task) {
        scheduled.add(new Scheduled(delay, task));
    }

    /** Runs every task scheduled so far. */
    void runAll() {
        List<Scheduled> due;
        synchronized (this) {
            due = List.copyOf(scheduled);
            scheduled.clear();
        }
        due.forEach(s -> s.task().run());
    }
}
