package io.kchat.bench;

import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.ConcurrentHistogram;

/**
 * Every message of one open-loop run: whether it was sent and answered, how many members received it, and the
 * latency histograms. Written from the pacer and from every socket's thread at once; read after the drain.
 * Messages are numbered by their index in the {@link OpenLoopSchedule}.
 */
final class MessageLedger {

    private static final int SENT = 1;
    private static final int OK = 2;
    private static final int REFUSED = 4;
    private static final int SIGNIFICANT_DIGITS = 3;

    private final OpenLoopSchedule schedule;
    private final int recipientsPerMessage;
    private final AtomicIntegerArray flags;
    private final AtomicIntegerArray deliveries;
    private final AtomicIntegerArray echoes;
    private final ConcurrentHistogram latency = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final ConcurrentHistogram okLatency = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final ConcurrentHistogram echoLatency = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final ConcurrentHistogram lag = new ConcurrentHistogram(SIGNIFICANT_DIGITS);
    private final LongAdder sentCount = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder okCount = new LongAdder();
    private final LongAdder deliveredCount = new LongAdder();
    private final LongAdder echoCount = new LongAdder();
    private final LongAdder deliveredInWindow = new LongAdder();
    private final LongAdder duplicated = new LongAdder();
    private final LongAdder outOfOrder = new LongAdder();

    /** @param recipientsPerMessage members of a conversation but the sender: the deliveries each message owes */
    MessageLedger(OpenLoopSchedule schedule, int recipientsPerMessage) {
        this.schedule = schedule;
        this.recipientsPerMessage = recipientsPerMessage;
        int total = schedule.total();
        this.flags = new AtomicIntegerArray(total);
        this.deliveries = new AtomicIntegerArray(total);
        this.echoes = new AtomicIntegerArray(total);
    }

    OpenLoopSchedule schedule() {
        return schedule;
    }

    boolean knows(int index) {
        return index >= 0 && index < flags.length();
    }

    void sent(int index, long intendedNanos, long actualNanos) {
        flags.getAndUpdate(index, f -> f | SENT);
        sentCount.increment();
        if (schedule.isMeasured(index)) {
            lag.recordValue(micros(actualNanos - intendedNanos));
        }
    }

    void ok(int index, long arrivedNanos) {
        if (answer(index, OK)) {
            okCount.increment();
            time(okLatency, index, arrivedNanos);
        }
    }

    /** An {@code error} for the send, also one after its {@code ok} (refused by the processor): not owed then. */
    void refused(int index) {
        int before = flags.getAndUpdate(index, f -> f | REFUSED);
        if ((before & REFUSED) != 0) {
            return;
        }
        if ((before & OK) == 0) {
            answered.increment();
        } else {
            okCount.decrement();
        }
    }

    /**
     * A {@code message} frame for someone other than its sender.
     *
     * @return whether it counts among the deliveries that arrived inside the measured window
     */
    boolean delivered(int index, long arrivedNanos, RecipientLedger.Verdict verdict) {
        boolean inWindow = false;
        if (counted(verdict)) {
            deliveries.incrementAndGet(index);
            deliveredCount.increment();
            if (schedule.inWindow(arrivedNanos)) {
                deliveredInWindow.increment();
                inWindow = true;
            }
            time(latency, index, arrivedNanos);
        }
        return inWindow;
    }

    /** The sender's own {@code message} frame: acceptance, with the seq. */
    void echoed(int index, long arrivedNanos, RecipientLedger.Verdict verdict) {
        if (counted(verdict) && echoes.getAndIncrement(index) == 0) {
            echoCount.increment();
            time(echoLatency, index, arrivedNanos);
        }
    }

    /** Whether waiting longer can change the result: every send answered, every ok'd message delivered and echoed. */
    boolean settled() {
        long ok = okCount.sum();
        return answered.sum() >= sentCount.sum() && deliveredCount.sum() >= ok * recipientsPerMessage
                && echoCount.sum() >= ok;
    }

    LoadResult result(String label) {
        long sent = 0;
        long ok = 0;
        long refused = 0;
        long lost = 0;
        long echoesMissing = 0;
        for (int i = 0; i < flags.length(); i++) {
            int f = flags.get(i);
            if ((f & SENT) != 0) {
                sent++;
            }
            if ((f & REFUSED) != 0) {
                refused++;
            } else if ((f & OK) != 0) {
                ok++;
                lost += Math.max(0, recipientsPerMessage - deliveries.get(i));
                echoesMissing += echoes.get(i) == 0 ? 1 : 0;
            }
        }
        double seconds = schedule.measured().toNanos() / 1e9;
        return new LoadResult(label, schedule.ratePerSecond(), schedule.measured(), sent, ok, refused,
                sent - ok - refused, ok * recipientsPerMessage, deliveredCount.sum(), lost, duplicated.sum(),
                outOfOrder.sum(), echoesMissing, deliveredInWindow.sum() / seconds, LatencySummary.of(latency),
                LatencySummary.of(okLatency), LatencySummary.of(echoLatency), LatencySummary.of(lag), Optional.empty(),
                Optional.empty());
    }

    /** Records the first answer only: a repeated ok must not count twice. */
    private boolean answer(int index, int kind) {
        int before = flags.getAndUpdate(index, f -> (f & (OK | REFUSED)) == 0 ? f | kind : f);
        if ((before & (OK | REFUSED)) != 0) {
            return false;
        }
        answered.increment();
        return true;
    }

    private boolean counted(RecipientLedger.Verdict verdict) {
        switch (verdict) {
            case DUPLICATE -> {
                duplicated.increment();
                return false;
            }
            case OUT_OF_ORDER -> outOfOrder.increment();
            case IN_ORDER -> { }
        }
        return true;
    }

    private void time(ConcurrentHistogram histogram, int index, long arrivedNanos) {
        if (schedule.isMeasured(index)) {
            histogram.recordValue(micros(arrivedNanos - schedule.intendedNanos(index)));
        }
    }

    private static long micros(long nanos) {
        return Math.max(0, TimeUnit.NANOSECONDS.toMicros(nanos));
    }
}
