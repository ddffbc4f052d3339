package io.kchat.assistant.answer;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;

/**
 * At most {@code perUser} answers written at once for one user; more wait their turn (in order). Only users with
 * answers running or waiting are remembered. Thread-safe.
 */
public final class UserSlots {

    private final int perUser;
    private final Map<String, Slots> users = new HashMap<>();

    public UserSlots(int perUser) {
        this.perUser = perUser;
    }

    /** Waits for one of the user's slots; give it back with {@link #release}. */
    public void acquire(String userId) throws InterruptedException {
        Slots slots;
        synchronized (this) {
            slots = users.computeIfAbsent(userId, id -> new Slots(perUser));
            slots.holders++;
        }
        try {
            slots.semaphore.acquire();
        } catch (InterruptedException e) {
            leave(userId, slots);
            throw e;
        }
    }

    public void release(String userId) {
        Slots slots;
        synchronized (this) {
            slots = users.get(userId);
        }
        slots.semaphore.release();
        leave(userId, slots);
    }

    synchronized int users() {
        return users.size();
    }

    private synchronized void leave(String userId, Slots slots) {
        if (--slots.holders == 0) {
            users.remove(userId);
        }
    }

    private static final class Slots {
        private final Semaphore semaphore;
        private int holders;

        private Slots(int permits) {
            this.semaphore = new Semaphore(permits, true);
        }
    }
}
