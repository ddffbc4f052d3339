package io.kchat.fault;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The wait of a connected device: from the sender's ok to the receipt on the connection synced before it. */
class LiveWaitTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aDeviceSyncedBeforeTheOkWaitsUntilItGetsTheMessageOnThatConnection() {
        DeviceHistory sender = device("alice", frame(1, 0, synced()), frame(1, 100, ok("m1")));
        DeviceHistory deaf = device("bob", frame(1, 0, synced()), frame(1, 2_100, message("alice", "m1", 1)));

        assertEquals(2_000, LiveWait.worstMillis(List.of(sender, deaf)));
    }

    @Test
    void whatCameOnlyWithALaterConnectionOrBeforeTheDeviceWasSyncedIsLeftOut() {
        DeviceHistory sender = device("alice", frame(1, 0, synced()), frame(1, 100, ok("m1")), frame(1, 150, ok("m2")));
        DeviceHistory reconnected = device("bob", frame(1, 0, synced()),
                frame(2, 9_000, synced()), frame(2, 9_100, message("alice", "m1", 1)));
        DeviceHistory late = device("carol", frame(1, 5_000, message("alice", "m2", 2)), frame(1, 5_001, synced()));
        DeviceHistory quick = device("dave", frame(1, 0, synced()), frame(1, 130, message("alice", "m1", 1)));

        assertEquals(30, LiveWait.worstMillis(List.of(sender, reconnected, late, quick)));
    }

    private static DeviceHistory device(String user, ReceivedFrame... frames) {
        return new DeviceHistory(user, user + "-1", List.of(frames), List.of());
    }

    private static ReceivedFrame frame(int connection, long atMillis, JsonNode frame) {
        return new ReceivedFrame(connection, frame, TimeUnit.MILLISECONDS.toNanos(atMillis) + 1);
    }

    private static JsonNode synced() {
        return JSON.createObjectNode().put("type", "synced");
    }

    private static JsonNode ok(String id) {
        return JSON.createObjectNode().put("type", "ok").put("id", id);
    }

    private static JsonNode message(String sender, String id, long seq) {
        return JSON.createObjectNode().put("type", "message").put("conversationId", "c1").put("seq", seq)
                .put("senderId", sender).put("id", id).put("userSeq", seq);
    }
}
