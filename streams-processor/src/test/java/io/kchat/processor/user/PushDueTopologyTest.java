package io.kchat.processor.user;

import static io.kchat.events.ConversationEventKind.CREATED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.DeviceAck;
import io.kchat.events.DeviceRegistered;
import io.kchat.events.DeviceRemoved;
import io.kchat.events.PendingPush;
import io.kchat.events.PushDue;
import io.kchat.events.SessionClosed;
import io.kchat.events.SessionOpened;
import io.kchat.processor.TopologyFixture;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pushes due (D15): a burst of messages from others in one conversation waits PUSH_GRACE (3 s by default) in the
 * user's log, by stream time; then the devices registered, without a session and not acked up to it are named in one
 * PushDue. Inputs are one second apart unless said otherwise; bob's log starts with c1's creation at userSeq 1.
 */
class PushDueTopologyTest {

    private static final Duration GRACE = Duration.ofSeconds(3);
    /** How far past its due time stream time may have to go before a burst goes out: a quarter of the grace. */
    private static final Duration LOOK = GRACE.dividedBy(4);

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        if (fx != null) {
            fx.close();
        }
    }

    /** c1 between alice and bob, c2 between carol and bob; bob's devices registered at login, no session yet. */
    private void bobWithDevices(String... deviceIds) {
        fx = new TopologyFixture(stateDir, Map.of());
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob"); // bob's userSeq 1
        fx.conversation("c2", CREATED, 1, "carol", "carol", "bob"); // bob's userSeq 2
        for (String deviceId : deviceIds) {
            fx.userCommand("bob", new DeviceRegistered("bob", deviceId, fx.now()));
        }
    }

    /** {@code senderId} sends in {@code conversationId}; returns the message as accepted, at its record time. */
    private ChatMessage send(String conversationId, String senderId, String body) {
        fx.send(conversationId, senderId, "id-" + body, body);
        List<ChatMessage> accepted = fx.messages();
        assertEquals(1, accepted.size(), "accepted: " + accepted);
        return accepted.getFirst();
    }

    private void open(String deviceId, String sessionId) {
        fx.userCommand("bob", new SessionOpened("bob", deviceId, sessionId, "n1", fx.now(), null));
    }

    private void close(String deviceId, String sessionId) {
        fx.userCommand("bob", new SessionClosed("bob", deviceId, sessionId, "n1", fx.now()));
    }

    private List<PendingPush> pending() {
        KeyValueStore<String, PendingPush> store = fx.driver.getKeyValueStore(PendingPushes.STORE);
        try (KeyValueIterator<String, PendingPush> all = store.all()) {
            List<PendingPush> bursts = new ArrayList<>();
            all.forEachRemaining(entry -> bursts.add(entry.value));
            return bursts;
        }
    }

    private static PushDue expected(ChatMessage newest, long userSeq, List<String> deviceIds, int messages,
                                    Instant dueAt) {
        return new PushDue("bob", newest.getConversationId(), newest.getSeq(), newest.getMessageId(),
                newest.getSenderId(), userSeq, deviceIds, messages, false, newest.getTs(), dueAt);
    }

    @Test
    void nothingBeforeTheGraceAndOnePushDueWhenStreamTimeReachesIt() {
        bobWithDevices("phone");
        ChatMessage hi = send("c1", "alice", "hi"); // bob's userSeq 3
        Instant due = hi.getTs().plus(GRACE);

        fx.streamTick(due.minusMillis(1));
        assertEquals(List.of(), fx.pushesDue(), "within the grace");
        assertEquals(1, pending().size());

        fx.streamTick(due.plus(LOOK));
        assertEquals(List.of(KeyValue.pair("bob", expected(hi, 3L, List.of("phone"), 1, due.plus(LOOK)))),
                fx.pushesDue(), "stamped with the stream time it went out at");
        assertEquals(List.of(), pending(), "the burst is gone once it fell due");

        fx.streamTick(due.plusSeconds(10));
        assertEquals(List.of(), fx.pushesDue(), "one push per burst");
    }

    @Test
    void aBurstInOneConversationIsOnePushForItsNewestMessage() {
        bobWithDevices("phone");
        ChatMessage first = send("c1", "alice", "one");
        send("c1", "alice", "two");
        ChatMessage third = send("c1", "alice", "three"); // bob's userSeq 5, 2 s after the first

        Instant due = first.getTs().plus(GRACE);
        fx.streamTick(due.minusMillis(1));
        assertEquals(List.of(), fx.pushesDue());
        fx.streamTick(due.plus(LOOK)); // the last message's grace is not over yet
        assertEquals(List.of(KeyValue.pair("bob", expected(third, 5L, List.of("phone"), 3, due.plus(LOOK)))),
                fx.pushesDue(), "due a grace after the first message, not after the last");
    }

    @Test
    void twoConversationsAreTwoPushes() {
        bobWithDevices("phone");
        ChatMessage fromAlice = send("c1", "alice", "a"); // userSeq 3
        ChatMessage fromCarol = send("c2", "carol", "c"); // userSeq 4

        Instant at = fromCarol.getTs().plus(GRACE).plus(LOOK);
        fx.streamTick(at);
        assertEquals(List.of(KeyValue.pair("bob", expected(fromAlice, 3L, List.of("phone"), 1, at)),
                KeyValue.pair("bob", expected(fromCarol, 4L, List.of("phone"), 1, at))), fx.pushesDue());
    }

    @Test
    void theUsersOwnMessagesArePushedToNobody() {
        bobWithDevices("phone");
        fx.userCommand("alice", new DeviceRegistered("alice", "alice-phone", fx.now()));
        ChatMessage own = send("c1", "bob", "mine");

        fx.streamTick(own.getTs().plus(GRACE).plus(LOOK));
        List<KeyValue<String, PushDue>> due = fx.pushesDue();
        assertEquals(List.of("alice"), due.stream().map(kv -> kv.key).toList(), "only the other member: " + due);
        assertEquals(List.of("alice-phone"), due.getFirst().value.getDeviceIds());
    }

    @Test
    void onlyDevicesWithoutASessionThatHaveNotAckedAreOwed() {
        bobWithDevices("phone", "laptop", "tablet", "watch");
        open("phone", "s-phone");
        open("laptop", "s-laptop");
        open("tablet", "s-tablet");
        ChatMessage hi = send("c1", "alice", "hi"); // userSeq 3

        fx.userCommandAfter(Duration.ofMillis(200), "bob", new DeviceAck("bob", "laptop", 3L));
        close("laptop", "s-laptop"); // got it, then went away
        close("tablet", "s-tablet"); // went away without acking
        fx.userCommand("bob", new DeviceRemoved("bob", "watch", fx.now())); // logged out meanwhile

        fx.streamTick(hi.getTs().plus(GRACE).plus(LOOK));
        List<KeyValue<String, PushDue>> due = fx.pushesDue();
        assertEquals(1, due.size(), "" + due);
        assertEquals(List.of("tablet"), due.getFirst().value.getDeviceIds(),
                "phone has a session, laptop acked, watch was removed");
    }

    @Test
    void noPushWhenEveryDeviceHasASession() {
        bobWithDevices("phone", "laptop");
        open("phone", "s-phone");
        open("laptop", "s-laptop");
        ChatMessage hi = send("c1", "alice", "hi");

        fx.streamTick(hi.getTs().plus(GRACE).plus(LOOK));
        assertEquals(List.of(), fx.pushesDue());
        assertEquals(List.of(), pending(), "decided and forgotten");
    }

    @Test
    void aMessageAfterTheBurstFellDueStartsTheNextOne() {
        bobWithDevices("phone");
        ChatMessage first = send("c1", "alice", "one"); // userSeq 3
        fx.streamTick(first.getTs().plus(GRACE).plus(LOOK));
        assertEquals(1, fx.pushesDue().size());

        ChatMessage second = send("c1", "alice", "two"); // userSeq 4
        fx.streamTick(second.getTs().plus(GRACE).minusMillis(1));
        assertEquals(List.of(), fx.pushesDue(), "a new grace from the second message");
        fx.streamTick(second.getTs().plus(GRACE).plus(LOOK));
        assertEquals(List.of(KeyValue.pair("bob", expected(second, 4L, List.of("phone"), 1,
                second.getTs().plus(GRACE).plus(LOOK)))), fx.pushesDue());
    }

    @Test
    void aUserWithoutDevicesHoldsNothing() {
        bobWithDevices();
        ChatMessage hi = send("c1", "alice", "hi");

        assertEquals(List.of(), pending());
        fx.streamTick(hi.getTs().plus(GRACE).plus(LOOK));
        assertEquals(List.of(), fx.pushesDue());
    }

    @Test
    void anEncryptedConversationsPushSaysSo() {
        bobWithDevices("phone");
        ChatMessage hi = send("c1", "alice", "hi");
        assertNull(hi.getCiphertext(), "a plain conversation");
        fx.streamTick(hi.getTs().plus(GRACE).plus(LOOK));
        assertFalse(fx.pushesDue().getFirst().value.getEncrypted());
    }

    @Test
    void withAZeroGraceAPushIsDueAsSoonAsStreamTimeMovesOn() {
        fx = new TopologyFixture(stateDir, Map.of("PUSH_GRACE", "0s"));
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.userCommand("bob", new DeviceRegistered("bob", "phone", fx.now()));
        ChatMessage hi = send("c1", "alice", "hi");

        // the punctuation looks every 10 ms of stream time at the most often
        Instant next = hi.getTs().plusMillis(10);
        fx.streamTick(next);
        assertEquals(List.of(KeyValue.pair("bob", expected(hi, 2L, List.of("phone"), 1, next))), fx.pushesDue());
    }

    @Test
    void aStalledStreamTimeAsksForATickWhileABurstWaits() {
        bobWithDevices("phone");
        ChatMessage hi = send("c1", "alice", "hi");
        assertTrue(fx.ticksAsked.isEmpty());

        // nothing comes in: the wall clock moves on, stream time does not
        for (int i = 0; i < 4; i++) {
            fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        }
        assertFalse(fx.ticksAsked.isEmpty(), "a tick asked for");
        assertEquals(List.of(), fx.pushesDue(), "the wall clock itself lets nothing out");

        fx.streamTick(hi.getTs().plus(GRACE).plus(LOOK));
        assertEquals(1, fx.pushesDue().size());
        int asked = fx.ticksAsked.size();
        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertEquals(asked, fx.ticksAsked.size(), "nothing held: no more ticks");
    }

    /**
     * A restart of the TopologyTestDriver does not keep its state directory, so this pins what a real restart relies
     * on: both stores are persistent (changelogged, restored), under the names ProcessorTopologyTest fixes.
     */
    @Test
    void aWaitingBurstIsKeptInAPersistentStore() {
        bobWithDevices("phone");
        send("c1", "alice", "hi");

        KeyValueStore<String, PendingPush> store = fx.driver.getKeyValueStore(PendingPushes.STORE);
        assertTrue(store.persistent(), "restored from its changelog after a restart");
        assertNotNull(store.get(PendingPushes.key("bob", "c1")));
        assertTrue(fx.driver.getKeyValueStore(PendingPushes.DUE_STORE).persistent());
    }
}
