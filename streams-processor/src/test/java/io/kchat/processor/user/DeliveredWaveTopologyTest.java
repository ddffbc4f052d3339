package io.kchat.processor.user;

import static io.kchat.events.ConversationEventKind.CREATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.DeliveredUpTo;
import io.kchat.events.DeviceAck;
import io.kchat.events.HeldDelivered;
import io.kchat.events.InboundCommand;
import io.kchat.events.SessionOpened;
import io.kchat.events.UserState;
import io.kchat.processor.TopologyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The quiet acknowledgement wave: delivered frontiers cross back at most once per user and interval (1 s here). */
class DeliveredWaveTopologyTest {

    private static final Duration SOON = Duration.ofMillis(200);

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    /** bob has a phone; alice sends {@code messages} in c1 and carol 1 in c2; bob's userSeq: c1 1, c2 2, then these. */
    private void bobReceiving(Map<String, String> env, int messages) {
        fx = new TopologyFixture(stateDir, env);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.conversation("c2", CREATED, 1, "carol", "carol", "bob");
        fx.userCommand("bob", new SessionOpened("bob", "phone", "s1", "n", fx.now(), null));
        for (int i = 1; i <= messages; i++) {
            fx.send("c1", "alice", "a-" + i, "m" + i); // c1 seq i at bob's userSeq 2 + i
        }
        fx.send("c2", "carol", "c-1", "hi"); // c2 seq 1 at bob's userSeq 3 + messages
        fx.inboundWritten();
    }

    private List<KeyValue<String, DeliveredUpTo>> announced() {
        return fx.inboundWritten().stream()
                .map(kv -> KeyValue.pair(kv.key, (DeliveredUpTo) kv.value.getCommand())).toList();
    }

    private UserState bob() {
        return fx.driver.<String, UserState>getKeyValueStore(UserLogTopology.STATE_STORE).get("bob");
    }

    private void ack(Duration after, long userSeq) {
        fx.userCommandAfter(after, "bob", new DeviceAck("bob", "phone", userSeq));
    }

    @Test
    void theFirstAckAnnouncesAtOnceAndTheNextOnesWithinTheIntervalGoOutTogetherWhenStreamTimeGetsThere() {
        bobReceiving(Map.of(), 4);

        ack(Duration.ofSeconds(1), 3L); // c1 seq 1
        assertEquals(List.of(KeyValue.pair("c1", new DeliveredUpTo("bob", 1L))), announced(), "a quiet user: at once");
        Instant announcedAt = fx.now();

        ack(SOON, 4L); // c1 seq 2
        ack(SOON, 7L); // c1 seq 4, c2 seq 1
        assertEquals(List.of(), announced(), "within the interval: held");
        assertEquals(List.of(new HeldDelivered("c1", 4L), new HeldDelivered("c2", 1L)), bob().getHeldDelivered(),
                "only the newest frontier per conversation is kept");

        // any input that takes the partition's stream time past the due time lets them out, stamped with that time
        fx.userCommandAfter(Duration.ofSeconds(1), "dave", new DeviceAck("dave", "x", 1L));
        List<KeyValue<String, InboundCommand>> written = fx.inboundWritten();
        assertEquals(List.of(KeyValue.pair("c1", new DeliveredUpTo("bob", 4L)), KeyValue.pair("c2",
                new DeliveredUpTo("bob", 1L))), written.stream().map(kv -> KeyValue.pair(kv.key,
                (DeliveredUpTo) kv.value.getCommand())).toList());
        assertTrue(written.stream().allMatch(kv -> !kv.value.getIngestTime().isBefore(announcedAt.plusSeconds(1))),
                "not before the interval: " + written);
        assertEquals("delivered:bob:c1:4", written.getFirst().value.getCommandId(), "the id comes from the content");
        assertTrue(bob().getHeldDelivered().isEmpty());
    }

    @Test
    void anAckAnIntervalAfterTheLastAnnouncementTakesTheHeldFrontiersAlong() {
        bobReceiving(Map.of(), 3);
        ack(Duration.ofSeconds(1), 3L);
        announced();
        ack(SOON, 4L); // held: c1 seq 2

        ack(Duration.ofSeconds(1), 5L); // an interval after the announcement: c1 seq 3, with the held one merged
        assertEquals(List.of(KeyValue.pair("c1", new DeliveredUpTo("bob", 3L))), announced());

        // nothing left to let out later
        fx.userCommandAfter(Duration.ofSeconds(5), "dave", new DeviceAck("dave", "x", 1L));
        assertEquals(List.of(), announced());
    }

    @Test
    void aPartitionWhoseStreamTimeStandsStillAsksForATickAndTheTickLetsTheFrontiersOut() {
        bobReceiving(Map.of(), 2);
        ack(Duration.ofSeconds(1), 3L);
        announced();
        ack(SOON, 4L); // held until an interval after the announcement
        assertTrue(fx.ticksAsked.isEmpty());

        // nothing comes in: the wall clock moves on, stream time does not
        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        assertEquals(1, fx.ticksAsked.size(), "one tick asked for, not one per punctuation: " + fx.ticksAsked);
        assertEquals(List.of(), announced(), "the wall clock itself lets nothing out");
        fx.driver.advanceWallClockTime(Duration.ofMillis(2000));
        assertEquals(2, fx.ticksAsked.size(), "asked again while the stall lasts: " + fx.ticksAsked);

        fx.streamTick(fx.now().plusSeconds(1));
        assertEquals(List.of(KeyValue.pair("c1", new DeliveredUpTo("bob", 2L))), announced());

        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertEquals(2, fx.ticksAsked.size(), "nothing held: no more ticks");
    }

    @Test
    void withAZeroIntervalEveryAckAnnouncesAtOnce() {
        bobReceiving(Map.of("DELIVERED_RECEIPT_INTERVAL", "0s"), 3);

        ack(SOON, 3L);
        ack(SOON, 4L);
        ack(SOON, 5L);

        assertEquals(List.of(KeyValue.pair("c1", new DeliveredUpTo("bob", 1L)),
                KeyValue.pair("c1", new DeliveredUpTo("bob", 2L)), KeyValue.pair("c1", new DeliveredUpTo("bob", 3L))),
                announced());
        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertTrue(fx.ticksAsked.isEmpty());
    }
}
