package io.kchat.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Locale;

/**
 * One open-loop run, counted per message and per recipient.
 *
 * @param sent               sends made (warm-up included)
 * @param ok                 sends answered {@code ok} (for the floor: acknowledged by the broker)
 * @param refused            sends answered {@code error}
 * @param unanswered         sends with no answer by the end of the drain
 * @param expected           deliveries owed: each ok'd message to each member but its sender
 * @param delivered          distinct deliveries received (duplicates not counted)
 * @param lost               deliveries owed but not received by the end of the drain
 * @param duplicated         {@code message} frames received a second time on one socket (echoes included)
 * @param outOfOrder         {@code message} frames whose seq was below one already received in the conversation
 * @param echoesMissing      ok'd messages whose sender never got the echo
 * @param deliveredPerSecond deliveries that arrived inside the measured window, per second of it
 * @param latency            intended send time to the recipient's {@code message}, sends due in the window only
 * @param okLatency          intended send time to {@code ok}
 * @param echoLatency        intended send time to the sender's echo (the message sequenced)
 * @param lag                how late the pacer made the send (this client's own delay)
 * @param cost               what the stack spent on the window's deliveries, when it was probed
 * @param instances          what each instance of a scaled-out stack carried in the window, when there are several
 */
record LoadResult(String label, double rate, Duration measured, long sent, long ok, long refused, long unanswered,
                  long expected, long delivered, long lost, long duplicated, long outOfOrder, long echoesMissing,
                  double deliveredPerSecond, LatencySummary latency, LatencySummary okLatency,
                  LatencySummary echoLatency, LatencySummary lag, Optional<WindowCost> cost,
                  Optional<Instances> instances) {

    LoadResult withCost(WindowCost windowCost) {
        return new LoadResult(label, rate, measured, sent, ok, refused, unanswered, expected, delivered, lost,
                duplicated, outOfOrder, echoesMissing, deliveredPerSecond, latency, okLatency, echoLatency, lag,
                Optional.of(windowCost), instances);
    }

    LoadResult withInstances(Instances windowInstances) {
        return new LoadResult(label, rate, measured, sent, ok, refused, unanswered, expected, delivered, lost,
                duplicated, outOfOrder, echoesMissing, deliveredPerSecond, latency, okLatency, echoLatency, lag,
                cost, Optional.of(windowInstances));
    }

    /** Deliveries that arrived inside the measured window. */
    long deliveredInWindow() {
        return Math.round(deliveredPerSecond * measured.toNanos() / 1e9);
    }

    /** Nothing lost, duplicated, reordered, refused or left unanswered. */
    boolean clean() {
        return lost == 0 && duplicated == 0 && outOfOrder == 0 && refused == 0 && unanswered == 0;
    }

    List<String> lines() {
        List<String> lines = new ArrayList<>(List.of(
                String.format(Locale.ROOT, "%s at %,.0f msgs/s for %d s (after warm-up):", label, rate,
                        measured.toSeconds()),
                String.format(Locale.ROOT, "  sent %,d, ok %,d, refused %,d, unanswered %,d", sent, ok, refused,
                        unanswered),
                String.format(Locale.ROOT, "  deliveries expected %,d, delivered %,d, lost %,d, duplicated %,d, "
                        + "out of order %,d, echoes missing %,d", expected, delivered, lost, duplicated, outOfOrder,
                        echoesMissing),
                String.format(Locale.ROOT, "  delivered %,.0f msgs/s in the measured window", deliveredPerSecond),
                "  send->receive " + latency.format(),
                "  send->ok      " + okLatency.format(),
                "  send->echo    " + echoLatency.format(),
                "  pacer lag     " + lag.format()));
        cost.ifPresent(c -> lines.addAll(c.lines()));
        // after every line an older report has, so that those stay where they were
        instances.ifPresent(i -> lines.addAll(i.lines()));
        return lines;
    }
}
