package io.kchat.assistant.answer;

import java.time.Instant;
import java.util.concurrent.Semaphore;

/**
 * How many answers run at once: {@code perUser} per user (in order, waiting), {@code total} per instance; and how
 * often a user may ask ({@link UserRateLimiter}). A user's slot is taken before an instance slot, so one user's
 * waiting answers never hold slots others could use.
 */
public final class AnswerLimits {

    private final UserRateLimiter rate;
    private final UserSlots userSlots;
    private final Semaphore slots;
    private final int total;

    public AnswerLimits(UserRateLimiter rate, int perUser, int total) {
        this.rate = rate;
        this.userSlots = new UserSlots(perUser);
        this.slots = new Semaphore(total, true);
        this.total = total;
    }

    /** Whether the user may ask now; if so, the question counts against their rate. */
    public boolean allowed(String userId, Instant now) {
        return rate.tryAcquire(userId, now);
    }

    /** Waits for a slot of the user's and one of the instance's. */
    public void acquire(String userId) throws InterruptedException {
        userSlots.acquire(userId);
        try {
            slots.acquire();
        } catch (InterruptedException e) {
            userSlots.release(userId);
            throw e;
        }
    }

    public void release(String userId) {
        slots.release();
        userSlots.release(userId);
    }

    public int inFlight() {
        return total - slots.availablePermits();
    }
}
