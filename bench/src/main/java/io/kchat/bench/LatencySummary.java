package io.kchat.bench;

import java.util.Locale;
import org.HdrHistogram.AbstractHistogram;

/** Percentiles of one latency histogram recorded in microseconds. */
record LatencySummary(long count, long p50, long p90, long p99, long p999, long max) {

    static final LatencySummary EMPTY = new LatencySummary(0, 0, 0, 0, 0, 0);

    static LatencySummary of(AbstractHistogram micros) {
        if (micros.getTotalCount() == 0) {
            return EMPTY;
        }
        return new LatencySummary(micros.getTotalCount(), micros.getValueAtPercentile(50),
                micros.getValueAtPercentile(90), micros.getValueAtPercentile(99), micros.getValueAtPercentile(99.9),
                micros.getMaxValue());
    }

    String format() {
        if (count == 0) {
            return "no samples";
        }
        return String.format(Locale.ROOT, "p50 %s, p90 %s, p99 %s, p99.9 %s, max %s ms (%,d samples)",
                ms(p50), ms(p90), ms(p99), ms(p999), ms(max), count);
    }

    static String ms(long micros) {
        return String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }
}
