package io.kchat.bench;

import static io.kchat.bench.RecipientLedger.Verdict.DUPLICATE;
import static io.kchat.bench.RecipientLedger.Verdict.IN_ORDER;
import static io.kchat.bench.RecipientLedger.Verdict.OUT_OF_ORDER;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class MessageLedgerTest {

    private static final long MS = 1_000_000;
    /** 10 msgs/s: 10 sends of warm-up (0..9), 10 measured (10..19), start at t = 0. */
    private final OpenLoopSchedule schedule = new OpenLoopSchedule(0, 10, Duration.ofSeconds(1), Duration.ofSeconds(1));

    @Test
    void anOkdMessageMissingARecipientIsLostOncePerMissingDelivery() {
        MessageLedger ledger = new MessageLedger(schedule, 2);
        sendAndOk(ledger, 10);
        ledger.delivered(10, due(10) + 5 * MS, IN_ORDER);

        LoadResult result = ledger.result("t");

        assertEquals(1, result.sent());
        assertEquals(2, result.expected());
        assertEquals(1, result.delivered());
        assertEquals(1, result.lost());
        assertFalse(result.clean());
    }

    @Test
    void aRefusedOrUnansweredSendIsNotLostButKeepsTheRunFromBeingClean() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        ledger.sent(10, due(10), due(10));
        ledger.refused(10);
        ledger.sent(11, due(11), due(11));

        LoadResult result = ledger.result("t");

        assertEquals(1, result.refused());
        assertEquals(1, result.unanswered());
        assertEquals(0, result.lost());
        assertFalse(result.clean());
    }

    @Test
    void anErrorAfterTheOkMeansTheMessageIsNotOwed() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        sendAndOk(ledger, 10);
        ledger.refused(10);

        LoadResult result = ledger.result("t");

        assertEquals(0, result.ok());
        assertEquals(1, result.refused());
        assertEquals(0, result.lost());
        assertTrue(ledger.settled());
    }

    @Test
    void duplicatesAreCountedButNotDelivered() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        sendAndOk(ledger, 10);
        ledger.delivered(10, due(10) + MS, IN_ORDER);
        ledger.delivered(10, due(10) + 2 * MS, DUPLICATE);
        ledger.echoed(10, due(10) + MS, IN_ORDER);
        ledger.echoed(10, due(10) + 2 * MS, DUPLICATE);

        LoadResult result = ledger.result("t");

        assertEquals(1, result.delivered());
        assertEquals(2, result.duplicated());
        assertEquals(0, result.lost());
        assertEquals(1, result.latency().count());
    }

    @Test
    void anOutOfOrderDeliveryCountsAsDeliveredAndAsOutOfOrder() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        sendAndOk(ledger, 10);
        ledger.delivered(10, due(10) + MS, OUT_OF_ORDER);

        LoadResult result = ledger.result("t");

        assertEquals(1, result.delivered());
        assertEquals(1, result.outOfOrder());
        assertEquals(0, result.lost());
        assertFalse(result.clean());
    }

    @Test
    void latencyIsTakenFromTheIntendedSendTimeNotFromWhenTheSendWasMade() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        // the pacer was 40 ms late; the delivery came 10 ms after the actual send
        ledger.sent(10, due(10), due(10) + 40 * MS);
        ledger.ok(10, due(10) + 45 * MS);
        ledger.delivered(10, due(10) + 50 * MS, IN_ORDER);

        LoadResult result = ledger.result("t");

        assertEquals(50_000, result.latency().p50(), 50);
        assertEquals(45_000, result.okLatency().p50(), 50);
        assertEquals(40_000, result.lag().p50(), 50);
    }

    @Test
    void warmUpSendsAreCheckedForLossButNotTimed() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        sendAndOk(ledger, 3);
        ledger.delivered(3, due(3) + MS, IN_ORDER);
        sendAndOk(ledger, 4);

        LoadResult result = ledger.result("t");

        assertEquals(0, result.latency().count());
        assertEquals(1, result.lost());
    }

    @Test
    void deliveredPerSecondCountsArrivalsInsideTheMeasuredWindowOnly() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        for (int i = 8; i < 20; i++) {
            sendAndOk(ledger, i);
        }
        ledger.delivered(8, due(8) + MS, IN_ORDER);            // arrives in the warm-up
        ledger.delivered(9, due(10) + MS, IN_ORDER);           // warm-up message, arrives in the window
        ledger.delivered(10, due(10) + 2 * MS, IN_ORDER);
        ledger.delivered(19, 2_000 * MS + MS, IN_ORDER);       // arrives after the window

        assertEquals(2.0, ledger.result("t").deliveredPerSecond(), 1e-9);
    }

    @Test
    void aDeliveryTellsWhetherItCountedInTheWindowSoThatAGatewayCanCountItsShare() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        for (int i = 8; i < 20; i++) {
            sendAndOk(ledger, i);
        }

        assertFalse(ledger.delivered(8, due(8) + MS, IN_ORDER), "arrived in the warm-up");
        assertTrue(ledger.delivered(10, due(10) + MS, IN_ORDER));
        assertFalse(ledger.delivered(10, due(10) + 2 * MS, DUPLICATE), "a duplicate is not a delivery");
        assertTrue(ledger.delivered(11, due(11) + MS, OUT_OF_ORDER), "out of order, but delivered");
        assertFalse(ledger.delivered(19, 2_000 * MS + MS, IN_ORDER), "arrived after the window");
        assertEquals(2.0, ledger.result("t").deliveredPerSecond(), 1e-9);
    }

    @Test
    void settledOnlyOnceEverySendIsAnsweredAndEveryOkdMessageDeliveredAndEchoed() {
        MessageLedger ledger = new MessageLedger(schedule, 1);
        ledger.sent(10, due(10), due(10));
        assertFalse(ledger.settled());
        ledger.ok(10, due(10) + MS);
        assertFalse(ledger.settled());
        ledger.delivered(10, due(10) + 2 * MS, IN_ORDER);
        assertFalse(ledger.settled());
        ledger.echoed(10, due(10) + 2 * MS, IN_ORDER);
        assertTrue(ledger.settled());
    }

    private void sendAndOk(MessageLedger ledger, int index) {
        ledger.sent(index, due(index), due(index));
        ledger.ok(index, due(index) + MS);
    }

    private long due(int index) {
        return schedule.intendedNanos(index);
    }
}
