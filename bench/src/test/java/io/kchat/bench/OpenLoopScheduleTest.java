package io.kchat.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private final OpenLoopSchedule schedule = new OpenLoopSchedule(1_000, 1000, Duration.ofSeconds(2),
            Duration.ofSeconds(3));

    @Test
    void sendsAreEvenlySpacedFromTheStartWhateverHappensToThem() {
        assertEquals(5_000, schedule.total());
        assertEquals(1_000, schedule.intendedNanos(0));
        assertEquals(1_000 + 1_000_000, schedule.intendedNanos(1));
        assertEquals(1_000 + 4_999_000_000L, schedule.intendedNanos(4_999));
    }

    @Test
    void onlySendsDueAfterTheWarmUpAreTimed() {
        assertFalse(schedule.isMeasured(0));
        assertFalse(schedule.isMeasured(1_999));
        assertTrue(schedule.isMeasured(2_000));
        assertTrue(schedule.isMeasured(4_999));
    }

    @Test
    void arrivalsCountTowardThroughputOnlyInsideTheMeasuredWindow() {
        long windowStart = 1_000 + 2_000_000_000L;
        assertFalse(schedule.inWindow(windowStart - 1));
        assertTrue(schedule.inWindow(windowStart));
        assertTrue(schedule.inWindow(windowStart + 2_999_999_999L));
        assertFalse(schedule.inWindow(windowStart + 3_000_000_000L));
    }

    @Test
    void fractionalRatesRoundTheCountUp() {
        OpenLoopSchedule slow = new OpenLoopSchedule(0, 2.5, Duration.ZERO, Duration.ofSeconds(1));
        assertEquals(3, slow.total());
        assertEquals(400_000_000, slow.intendedNanos(1));
    }

    @Test
    void refusesANonPositiveRateOrAnEmptyWindow() {
        assertThrows(IllegalArgumentException.class,
                () -> new OpenLoopSchedule(0, 0, Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> new OpenLoopSchedule(0, 10, Duration.ZERO, Duration.ZERO));
    }
}
