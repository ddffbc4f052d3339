package io.kchat.assistant.answer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * At most {@code perWindow} questions per user in any window of {@code window} (sliding), in memory per instance.
 * Refused questions do not count. Users whose window has emptied are forgotten, so memory follows the users active in
 * the last window. Thread-safe.
 */
public final class UserRateLimiter {

    private final int perWindow;
    private final Duration window;
    private final Map<String, Deque<Instant>> asked = new HashMap<>();
    private Instant nextSweep = Instant.MIN;

    public UserRateLimiter(int perWindow, Duration window) {
        this.perWindow = perWindow;
        this.window = window;
    }

    /** Whether {@code userId} may ask now; if so, the question counts. */
    public synchronized boolean tryAcquire(String userId, Instant now) {
        sweep(now);
        Deque<Instant> times = asked.computeIfAbsent(userId, id -> new ArrayDeque<>());
        expire(times, now);
        if (times.size() >= perWindow) {
            return false;
        }
        times.addLast(now);
        return true;
    }

    /** Users remembered now: those who asked within the last window (at most one window ago, swept once a window). */
    synchronized int users() {
        return asked.size();
    }

    private void expire(Deque<Instant> times, Instant now) {
        Instant oldest = now.minus(window);
        while (!times.isEmpty() && !times.peekFirst().isAfter(oldest)) {
            times.removeFirst();
        }
    }

    private void sweep(Instant now) {
        if (now.isBefore(nextSweep)) {
            return;
        }
        asked.values().removeIf(times -> {
            expire(times, now);
            return times.isEmpty();
        });
        nextSweep = now.plus(window);
    }
}
