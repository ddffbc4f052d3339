package io.kchat.gateway.auth.sessions;

import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.UserCommand;
import java.time.Instant;

/** Device registry changes as chat.user-inbound commands, keyed by user. */
final class DeviceCommands {

    private DeviceCommands() {
    }

    /** The device's queue on the user side starts here: events from now on are kept for it. */
    static UserCommand registered(String userId, String deviceId, Instant at) {
        return new UserCommand(new DeviceRegistered(userId, deviceId, at));
    }

    /** The device's cursor goes, so it no longer holds back trimming of the user's log. */
    static UserCommand removed(String userId, String deviceId, Instant at) {
        return new UserCommand(new DeviceRemoved(userId, deviceId, at));
    }
}
