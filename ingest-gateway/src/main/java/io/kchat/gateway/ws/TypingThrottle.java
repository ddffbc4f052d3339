package io.kchat.gateway.ws;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's {@code typing} notices: at most one is forwarded per conversation per {@code interval}.
 *
 * <p>A notice is forwarded at once when the last one forwarded for that conversation is at least an interval
 * old. Within the interval, a notice repeating the state last forwarded is dropped (its ref answered at once:
 * the state it asks for is relayed), and a change of state is kept, the latest winning, and forwarded when
 * the interval ends unless it went back meanwhile. So a client sending {@code active:true} on every key
 * stroke costs one record per interval, and a final {@code active:false} is never lost, only delayed.
 */
final class TypingThrottle {

    /** Produces one Typing notice; completes once the broker acked it. */
    @FunctionalInterface
    interface Forwarder {
        CompletableFuture<?> forward(String conversationId, boolean active);
    }

    private static final Logger log = LoggerFactory.getLogger(TypingThrottle.class);
    private static final String NOT_RELAYED = "typing not relayed, please retry";
    /** Conversations remembered before idle ones are swept: a session types in a few at a time. */
    private static final int SWEEP_ABOVE = 32;

    /** One conversation's state, guarded by the throttle. */
    private static final class Lane {
        long forwardedAtNanos;
        boolean active;
        Boolean pending;
        PendingAnswers pendingAnswers;
        boolean timerSet;
    }

    private record Forward(String conversationId, boolean active, PendingAnswers answers) {
    }

    private final Forwarder forwarder;
    private final Consumer<ServerFrame> out;
    private final ScheduledExecutorService timers;
    private final long intervalNanos;
    private final Map<String, Lane> lanes = new HashMap<>();
    private boolean closed;

    TypingThrottle(Forwarder forwarder, Consumer<ServerFrame> out, ScheduledExecutorService timers, Duration interval) {
        this.forwarder = forwarder;
        this.out = out;
        this.timers = timers;
        this.intervalNanos = interval.toNanos();
    }

    /** The caller checked that the session's user is a member of the conversation. */
    void notice(String conversationId, boolean active, String ref) {
        Forward forward = null;
        synchronized (this) {
            if (closed) {
                return;
            }
            long now = System.nanoTime();
            Lane lane = lanes.get(conversationId);
            if (lane == null) {
                sweep(now);
                lane = new Lane();
                lanes.put(conversationId, lane);
                forward = forward(conversationId, lane, active, PendingAnswers.of(ref), now);
            } else if (lane.timerSet) {
                lane.pending = active;
                lane.pendingAnswers.add(ref);
                return;
            } else if (now - lane.forwardedAtNanos >= intervalNanos) {
                forward = forward(conversationId, lane, active, PendingAnswers.of(ref), now);
            } else if (active != lane.active) {
                lane.pending = active;
                lane.pendingAnswers = PendingAnswers.of(ref);
                // not scheduled only when shutting down: then the notice is dropped with the socket
                lane.timerSet = schedule(conversationId, lane.forwardedAtNanos + intervalNanos - now);
                return;
            }
        }
        if (forward == null) {
            PendingAnswers.answer(out, ref);
        } else {
            send(forward);
        }
    }

    /** The socket ended: what is pending is dropped; receivers time a typing indicator out anyway. */
    synchronized void close() {
        closed = true;
        lanes.clear();
    }

    private Forward forward(String conversationId, Lane lane, boolean active, PendingAnswers answers, long now) {
        lane.forwardedAtNanos = now;
        lane.active = active;
        return new Forward(conversationId, active, answers);
    }

    private boolean schedule(String conversationId, long delayNanos) {
        try {
            // the timer thread is shared by every socket: the produce runs on a thread of its own
            timers.schedule(() -> Thread.startVirtualThread(() -> intervalEnded(conversationId)),
                    delayNanos, TimeUnit.NANOSECONDS);
            return true;
        } catch (RejectedExecutionException e) {
            return false;
        }
    }

    private void intervalEnded(String conversationId) {
        Forward forward;
        PendingAnswers coalesced = null;
        synchronized (this) {
            Lane lane = lanes.get(conversationId);
            if (closed || lane == null) {
                return;
            }
            lane.timerSet = false;
            boolean active = lane.pending;
            PendingAnswers answers = lane.pendingAnswers;
            lane.pending = null;
            lane.pendingAnswers = null;
            if (active == lane.active) {
                forward = null;
                coalesced = answers;
            } else {
                forward = forward(conversationId, lane, active, answers, System.nanoTime());
            }
        }
        if (forward != null) {
            send(forward);
        } else {
            coalesced.succeeded(out);
        }
    }

    private void send(Forward forward) {
        CompletableFuture<?> written;
        try {
            written = forwarder.forward(forward.conversationId(), forward.active());
        } catch (RuntimeException e) {
            written = CompletableFuture.failedFuture(e);
        }
        written.whenComplete((result, error) -> {
            if (error == null) {
                forward.answers().succeeded(out);
            } else {
                log.warn("cannot publish a typing notice for conversation {}", forward.conversationId(), error);
                forward.answers().failed(out, NOT_RELAYED);
            }
        });
    }

    /** Guarded by this: forgets conversations with nothing pending whose interval is over. */
    private void sweep(long now) {
        if (lanes.size() >= SWEEP_ABOVE) {
            lanes.values().removeIf(lane -> !lane.timerSet && now - lane.forwardedAtNanos >= intervalNanos);
        }
    }
}
