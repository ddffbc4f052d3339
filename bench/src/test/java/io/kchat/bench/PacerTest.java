package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacerTest {

    /** Time moves only when the pacer parks, or when a send takes long (a stall). */
    private static final class FakeClock implements NanoClock {
        long now;

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void parkUntil(long deadlineNanos) {
            now = Math.max(now, deadlineNanos);
        }
    }

    private record Sent(int index, long intended, long actual) {
    }

    private final FakeClock clock = new FakeClock();
    private final List<Sent> sent = new ArrayList<>();

    @Test
    void makesEverySendInOrderAndNeverBeforeItIsDue() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(100, 10, Duration.ZERO, Duration.ofSeconds(1));

        int made = new Pacer(clock).run(schedule, (i, intended, actual) -> sent.add(new Sent(i, intended, actual)));

        assertEquals(10, made);
        for (int i = 0; i < sent.size(); i++) {
            assertEquals(i, sent.get(i).index());
            assertEquals(schedule.intendedNanos(i), sent.get(i).intended());
            assertEquals(sent.get(i).intended(), sent.get(i).actual());
        }
    }

    @Test
    void aStallDoesNotMoveTheScheduleTheLateSendsGoOutAtOnce() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 10, Duration.ZERO, Duration.ofSeconds(1));

        new Pacer(clock).run(schedule, (i, intended, actual) -> {
            sent.add(new Sent(i, intended, actual));
            if (i == 2) {
                clock.now += 350_000_000; // the third send blocked for 350 ms
            }
        });

        assertEquals(10, sent.size());
        // sends 3..5 were due during the stall: made late, at once, still stamped with their intended time
        assertEquals(300_000_000, sent.get(3).intended());
        assertTrue(sent.get(3).actual() > sent.get(3).intended());
        assertEquals(sent.get(3).actual(), sent.get(5).actual());
        assertEquals(500_000_000, sent.get(5).intended());
        // after the backlog the pacer is back on the original schedule, not shifted by the stall
        assertEquals(sent.get(6).intended(), sent.get(6).actual());
        assertEquals(600_000_000, sent.get(6).intended());
    }

    @Test
    void stopsWhenInterrupted() {
        OpenLoopSchedule schedule = new OpenLoopSchedule(0, 10, Duration.ZERO, Duration.ofSeconds(1));
        try {
            int made = new Pacer(clock).run(schedule, (i, intended, actual) -> {
                if (i == 3) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(4, made);
        } finally {
            Thread.interrupted();
        }
    }
}
