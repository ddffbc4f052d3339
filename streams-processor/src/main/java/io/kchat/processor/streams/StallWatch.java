package io.kchat.processor.streams;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.ProcessorContext;

/**
 * Asks for a {@link IdleTicks tick} when a task holds something back and its stream time has not moved for two
 * periods of wall-clock time: once per stall, and again every {@link #REASK} while the stall lasts (a tick that moved
 * nothing, or never arrived). The wall clock only decides when to ask; what the held items do stays a function of the
 * input, the tick included (D2).
 */
public final class StallWatch {

    /** How long a stall that a tick did not end waits before the next ask. */
    static final Duration REASK = Duration.ofSeconds(2);

    private final Duration period;
    private final IdleTicks ticks;
    private final BooleanSupplier holding;
    private ProcessorContext<?, ?> context;
    /** The stream time last seen and the wall-clock time it was first seen at. */
    private long seenStreamTime = Long.MIN_VALUE;
    private long seenAtWallClock;
    /** When a tick was last asked for in this stall; Long.MIN_VALUE: not yet. */
    private long askedAtWallClock = Long.MIN_VALUE;

    /**
     * @param period  how often the wall clock is looked at
     * @param holding whether the task holds anything back now: only then does a stalled stream time need a tick
     */
    public StallWatch(Duration period, IdleTicks ticks, BooleanSupplier holding) {
        this.period = period;
        this.ticks = ticks;
        this.holding = holding;
    }

    /** Schedules the watch on the task's wall-clock punctuation. */
    public void start(ProcessorContext<?, ?> context) {
        this.context = context;
        context.schedule(period, PunctuationType.WALL_CLOCK_TIME, this::look);
    }

    private void look(long wallClock) {
        long streamTime = context.currentStreamTimeMs();
        if (streamTime != seenStreamTime) {
            seenStreamTime = streamTime;
            seenAtWallClock = wallClock;
            askedAtWallClock = Long.MIN_VALUE;
            return;
        }
        boolean stalled = wallClock - seenAtWallClock >= 2 * period.toMillis();
        boolean askedLately = askedAtWallClock != Long.MIN_VALUE && wallClock - askedAtWallClock < REASK.toMillis();
        if (stalled && !askedLately && holding.getAsBoolean()) {
            askedAtWallClock = wallClock;
            ticks.tick(context.taskId().partition(), wallClock);
        }
    }
}
