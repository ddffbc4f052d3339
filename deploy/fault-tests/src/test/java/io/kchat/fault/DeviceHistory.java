package io.kchat.fault;

import java.util.List;

/** Everything one device (one client) received and sent during a run. */
record DeviceHistory(String userId, String deviceId, List<ReceivedFrame> frames, List<SentMessage> sends) {

    DeviceHistory {
        frames = List.copyOf(frames);
        sends = List.copyOf(sends);
    }

    String label() {
        return userId + "/" + deviceId;
    }
}
