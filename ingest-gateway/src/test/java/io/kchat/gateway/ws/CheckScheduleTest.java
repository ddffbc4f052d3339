package io.kchat.gateway.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** When a session is due for a check, and when its checks are given up. */
class CheckScheduleTest {

    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(30);
    private static final OrderedDelivery.Position SYNCED_AT_5 = new OrderedDelivery.Position(true, 5, 0);
    /** A fresh session whose replay has not come. */
    private static final OrderedDelivery.Position NOTHING_YET = new OrderedDelivery.Position(false, 0, 0);

    private final CheckSchedule schedule = new CheckSchedule();

    @Test
    void nothingIsDueBeforeSessionOpenedWasPublished() {
        assertEquals(CheckSchedule.Verdict.NOT_DUE, schedule.due(10 * INTERVAL, INTERVAL, NOTHING_YET));
    }

    @Test
    void aSessionTheUserSideHasNotReachedForAnIntervalIsDueOnceAnInterval() {
        schedule.opened(0);
        schedule.routed(INTERVAL / 2);
        assertEquals(CheckSchedule.Verdict.NOT_DUE, schedule.due(INTERVAL, INTERVAL, SYNCED_AT_5), "reached lately");
        assertEquals(CheckSchedule.Verdict.DUE, schedule.due(INTERVAL * 3 / 2, INTERVAL, SYNCED_AT_5));
        assertEquals(CheckSchedule.Verdict.NOT_DUE, schedule.due(INTERVAL * 2, INTERVAL, SYNCED_AT_5),
                "checked half an interval ago");
        assertEquals(CheckSchedule.Verdict.DUE, schedule.due(INTERVAL * 5 / 2, INTERVAL, SYNCED_AT_5));
    }

    @Test
    void anEventHeldBehindAHoleForAnIntervalMakesItDueThoughEventsArrive() {
        schedule.opened(0);
        OrderedDelivery.Position holding = new OrderedDelivery.Position(true, 5, INTERVAL / 2);
        schedule.routed(INTERVAL * 3 / 2);
        assertEquals(CheckSchedule.Verdict.DUE, schedule.due(INTERVAL * 3 / 2, INTERVAL, holding));
    }

    @Test
    void aRequestedCheckIsDueAtOnce() {
        schedule.opened(0);
        schedule.requestCheck();
        assertEquals(CheckSchedule.Verdict.DUE, schedule.due(1, INTERVAL, SYNCED_AT_5));
        assertEquals(CheckSchedule.Verdict.NOT_DUE, schedule.due(2, INTERVAL, SYNCED_AT_5), "once per request");
    }

    @Test
    void checksThatBringNothingWhileTheReplayIsIncompleteAreGivenUp() {
        schedule.opened(0);
        for (int check = 1; check <= CheckSchedule.MAX_FRUITLESS_CHECKS; check++) {
            assertEquals(CheckSchedule.Verdict.DUE, schedule.due(check * INTERVAL, INTERVAL, NOTHING_YET));
        }
        assertEquals(CheckSchedule.Verdict.GIVE_UP, schedule.due(10 * INTERVAL, INTERVAL, NOTHING_YET));
    }

    @Test
    void progressBetweenChecksStartsTheCountAgain() {
        schedule.opened(0);
        for (int check = 1; check <= 3 * CheckSchedule.MAX_FRUITLESS_CHECKS; check++) {
            OrderedDelivery.Position progressing = new OrderedDelivery.Position(false, check, 0);
            assertEquals(CheckSchedule.Verdict.DUE, schedule.due(check * INTERVAL, INTERVAL, progressing));
        }
    }
}
