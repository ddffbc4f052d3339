package io.kchat.fault;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The longest a connected device waited for a message: for every message and every device that was synced on a
 * connection when the message was ok'd (its sender got {@code ok}: it was durably logged) and got it on that same
 * connection, the time between the two. A device that went deaf and heard again without reconnecting shows here
 * as a long wait; what a device got only by the replay of a later connection is left out (its wait is the time it
 * was away), and so are frames without a receive time.
 */
final class LiveWait {

    private LiveWait() {
    }

    /** In milliseconds; 0 when no delivery qualifies. */
    static long worstMillis(Collection<DeviceHistory> devices) {
        Map<String, Long> okdAt = new HashMap<>();
        for (DeviceHistory device : devices) {
            for (ReceivedFrame frame : device.frames()) {
                if (frame.type().equals("ok") && frame.frame().hasNonNull("id") && frame.receivedAtNanos() != 0) {
                    okdAt.merge(device.userId() + "|" + frame.frame().path("id").asText(), frame.receivedAtNanos(),
                            Math::min);
                }
            }
        }
        long worst = 0;
        for (DeviceHistory device : devices) {
            Map<Integer, Long> syncedAt = new HashMap<>();
            Map<String, ReceivedFrame> first = new HashMap<>();
            for (ReceivedFrame frame : device.frames()) {
                if (frame.type().equals("synced")) {
                    syncedAt.putIfAbsent(frame.connection(), frame.receivedAtNanos());
                } else if (frame.type().equals("message") && frame.frame().hasNonNull("seq")
                        && frame.receivedAtNanos() != 0) {
                    first.putIfAbsent(frame.frame().path("senderId").asText() + "|"
                            + frame.frame().path("id").asText(), frame);
                }
            }
            for (Map.Entry<String, ReceivedFrame> got : first.entrySet()) {
                Long okd = okdAt.get(got.getKey());
                Long synced = syncedAt.get(got.getValue().connection());
                if (okd != null && synced != null && synced <= okd) {
                    worst = Math.max(worst, got.getValue().receivedAtNanos() - okd);
                }
            }
        }
        return TimeUnit.NANOSECONDS.toMillis(worst);
    }
}
