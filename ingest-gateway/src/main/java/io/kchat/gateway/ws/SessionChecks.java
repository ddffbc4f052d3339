package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The safety net of session routing (docs/behaviour.md): whatever went wrong between this node and the user
 * side (a session closed there under a live socket, a replay or an event lost on the way), a socket must not stay
 * open and deaf. Every quarter of {@code interval} each open session is looked at; one that the user side has not
 * reached for {@code interval}, or that holds an event behind a missing one that long, or whose directory row had
 * to be written again, gets a {@code SessionCheck} carrying what it holds. The user side re-opens a session it does
 * not know, sends a replay again, re-sends what is missing, or revokes the session; for a healthy idle session it
 * does nothing. So a deaf socket hears again within about 1.25 intervals plus one trip through the user side, and an
 * idle socket costs one record per interval.
 */
final class SessionChecks implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SessionChecks.class);

    private final SessionRegistry registry;
    private final SessionEvents events;
    private final long intervalNanos;
    private final ScheduledExecutorService timers;
    private final AtomicLong sent = new AtomicLong();
    private volatile ScheduledFuture<?> round;

    SessionChecks(SessionRegistry registry, SessionEvents events, Duration interval, ScheduledExecutorService timers) {
        this.registry = registry;
        this.events = events;
        this.intervalNanos = interval.toNanos();
        this.timers = timers;
    }

    void start() {
        long tick = Math.max(1, intervalNanos / 4);
        round = timers.scheduleWithFixedDelay(this::safeRound, tick, tick, TimeUnit.NANOSECONDS);
    }

    /** Checks sent since the start. */
    long sent() {
        return sent.get();
    }

    /** One round over the open sessions; the timers' thread only publishes (the producer does not block here). */
    private void round(long nowNanos) {
        registry.forEachSession(session -> {
            Optional<ClientSession.SessionCheck> due = session.checkDue(nowNanos, intervalNanos);
            due.ifPresent(this::publish);
        });
    }

    private void safeRound() {
        try {
            round(System.nanoTime());
        } catch (RuntimeException e) {
            // the next round tries again: a failing round must not cancel the schedule
            log.warn("session check round failed", e);
        }
    }

    private void publish(ClientSession.SessionCheck check) {
        sent.incrementAndGet();
        log.debug("checking session {} (synced {}, holds up to {})", check.who().sessionId(), check.synced(),
                check.receivedUpTo());
        events.check(check).whenComplete((written, error) -> {
            if (error != null) {
                // not lost for good: the session stays as it was and is due again after an interval
                log.warn("cannot publish the check of session {}: {}", check.who().sessionId(), error.toString());
            }
        });
    }

    @Override
    public void close() {
        ScheduledFuture<?> current = round;
        if (current != null) {
            current.cancel(false);
        }
    }
}
