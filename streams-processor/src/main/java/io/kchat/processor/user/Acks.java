package io.kchat.processor.user;

import io.kchat.events.DeviceAck;
import io.kchat.events.DeviceCursor;
import io.kchat.events.UserState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Device acks: advance the device's cursor, trim what every device has, and when the user's delivered
 * frontier (the highest userSeq acked by any device) moves, tell each conversation whose messages it
 * passed how far they are delivered to this user, at the pace of the {@link DeliveredWave}.
 */
final class Acks {

    private static final Logger log = LoggerFactory.getLogger(Acks.class);

    private final UserLog userLog;
    private final DeliveredWave wave;

    Acks(UserLog userLog, DeliveredWave wave) {
        this.userLog = userLog;
        this.wave = wave;
    }

    void ack(UserOutput out, UserState state, DeviceAck ack) {
        String userId = out.userId();
        DeviceCursor cursor = Devices.find(state, ack.getDeviceId());
        if (cursor == null) {
            log.debug("ack from unknown device {} of {}", ack.getDeviceId(), userId);
            return;
        }
        long acked = Math.min(ack.getUserSeq(), state.getLastUserSeq());
        if (acked <= cursor.getAckedUserSeq()) {
            return;
        }
        long previous = cursor.getAckedUserSeq();
        cursor.setAckedUserSeq(acked);
        if (acked > state.getDeliveredUserSeq()) {
            // Only what this device confirmed counts: a device registered after the frontier never got the
            // events between the frontier and its registration, and no other device has acked them yet.
            // Taken before trimming, since the newly acked events may be the ones about to go.
            announceDelivered(out, state, Math.max(state.getDeliveredUserSeq(), previous), acked);
            state.setDeliveredUserSeq(acked);
        }
        Devices.trimAcked(userLog, userId, state);
    }

    /** A frontier per conversation with messages from others in (from, to]; own messages need none. */
    private void announceDelivered(UserOutput out, UserState state, long from, long to) {
        wave.moved(out, state, PendingDeliveries.takeUpTo(state, userLog, out.userId(), from, to));
    }
}
