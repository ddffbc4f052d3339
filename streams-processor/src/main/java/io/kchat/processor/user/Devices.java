package io.kchat.processor.user;

import io.kchat.events.DeviceCursor;
import io.kchat.events.OpenSession;
import io.kchat.events.UserState;
import java.util.ArrayList;
import java.util.List;

/** The user's device registry: one cursor per device into the user's log. */
final class Devices {

    private Devices() {
    }

    static DeviceCursor find(UserState state, String deviceId) {
        for (DeviceCursor cursor : state.getDevices()) {
            if (cursor.getDeviceId().equals(deviceId)) {
                return cursor;
            }
        }
        return null;
    }

    /**
     * The device's cursor, created at the end of the log when the device is unknown: a new device
     * starts with an empty queue and gets events from its registration on. Idempotent, so the
     * gateway's publish and the CDC relay's copy of one registration change nothing twice.
     */
    static DeviceCursor register(UserState state, String deviceId) {
        DeviceCursor cursor = find(state, deviceId);
        if (cursor == null) {
            cursor = new DeviceCursor(deviceId, state.getLastUserSeq());
            state.getDevices().add(cursor);
        }
        return cursor;
    }

    /**
     * The devices that still owe the event at {@code userSeq} and cannot get it live: registered, without an open
     * session, and not acked up to it; in registration order. A device removed is not registered, so never owes.
     */
    static List<String> owing(UserState state, long userSeq) {
        List<String> owing = new ArrayList<>();
        for (DeviceCursor cursor : state.getDevices()) {
            if (cursor.getAckedUserSeq() < userSeq && !hasSession(state, cursor.getDeviceId())) {
                owing.add(cursor.getDeviceId());
            }
        }
        return owing;
    }

    private static boolean hasSession(UserState state, String deviceId) {
        for (OpenSession session : state.getSessions()) {
            if (session.getDeviceId().equals(deviceId)) {
                return true;
            }
        }
        return false;
    }

    static boolean remove(UserState state, String deviceId) {
        return state.getDevices().removeIf(cursor -> cursor.getDeviceId().equals(deviceId));
    }

    /**
     * Drops the events every device has acked: an event stays until each device of the user acked it.
     * With no device left nothing is owed to anyone (a device registered later starts at the end).
     */
    static void trimAcked(UserLog log, String userId, UserState state) {
        long ackedByAll = state.getDevices().stream().mapToLong(DeviceCursor::getAckedUserSeq).min()
                .orElse(state.getLastUserSeq());
        log.trimBelow(userId, state, ackedByAll + 1);
    }
}
