package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ConversationEventKind.MEMBER_REMOVED;
import static io.kchat.events.ReceiptKind.DELIVERED;
import static io.kchat.events.ReceiptKind.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ConversationState;
import io.kchat.events.DeliveredUpTo;
import io.kchat.events.ReadUpTo;
import io.kchat.events.Receipt;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.TopologyFixture;
import io.kchat.processor.headers.Origin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation side of the quiet acknowledgement wave: a conversation's receipts cross to its members at most once
 * per interval (1 s by default), the newest per member and kind, at a time read from the input, never the wall clock.
 */
class ReceiptWaveTopologyTest {

    private static final Duration SOON = Duration.ofMillis(200);

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @AfterEach
    void stop() {
        fx.close();
    }

    /** c1 with alice, bob and carol; alice sends {@code messages}; nothing written so far is left to read. */
    private void groupWithMessages(Map<String, String> env, int messages) {
        fx = new TopologyFixture(stateDir, env);
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fx.conversation("c2", CREATED, 1, "dave", "dave", "erin");
        for (int i = 1; i <= messages; i++) {
            fx.send("c1", "alice", "a-" + i, "m" + i);
        }
        fx.receipts();
        fanOutRecords();
    }

    /** Receipts fanned out to members' logs since the last call, with their records (key: the member). */
    private List<TestRecord<String, UserCommand>> fanOutRecords() {
        return fx.output(fx.topics.userInbound()).readRecordsToList().stream()
                .filter(r -> r.value().getCommand() instanceof UserEvent event && event.getPayload() instanceof Receipt)
                .toList();
    }

    private static String describe(TestRecord<String, UserCommand> record) {
        Receipt receipt = (Receipt) ((UserEvent) record.value().getCommand()).getPayload();
        return record.key() + "<-" + receipt.getUserId() + ":" + receipt.getKind() + ":" + receipt.getSeq();
    }

    private ConversationState c1() {
        return fx.driver.<String, ConversationState>getKeyValueStore(ConversationTopology.STATE_STORE).get("c1");
    }

    @Test
    void theFirstReceiptGoesAtOnceAndTheNextOnesWithinTheIntervalGoTogetherNewestPerMemberAndKind() {
        groupWithMessages(Map.of(), 3);

        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        Instant firstAt = fx.now();
        assertEquals(List.of(new Receipt("c1", "bob", READ, 1L, firstAt)), fx.receipts(), "a quiet conversation: at once");
        assertEquals(List.of("alice<-bob:READ:1", "bob<-bob:READ:1", "carol<-bob:READ:1"),
                fanOutRecords().stream().map(ReceiptWaveTopologyTest::describe).toList());

        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 2L));
        fx.inboundAfter(SOON, "c1", new DeliveredUpTo("carol", 2L));
        Instant carolAt = fx.now();
        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-laptop", 3L));
        Instant bobAt = fx.now();
        assertEquals(List.of(), fx.receipts(), "within the interval: held");
        assertEquals(List.of(), fanOutRecords());
        assertEquals(List.of(new Receipt("c1", "bob", READ, 3L, bobAt), new Receipt("c1", "carol", DELIVERED, 2L, carolAt)),
                c1().getHeldReceipts(), "the newest per member and kind");
        assertEquals(3L, c1().getReadCursors().stream().filter(c -> c.getUserId().equals("bob")).findFirst()
                .orElseThrow().getReadSeq(), "the cursor itself moves at once");

        // any input of the partition whose time reaches the due time lets them out, right after its own output
        fx.inboundAfter(Duration.ofSeconds(1), "c2", new ReadUpTo("erin", "erin-phone", 0L));
        assertEquals(List.of(new Receipt("c1", "bob", READ, 3L, bobAt), new Receipt("c1", "carol", DELIVERED, 2L, carolAt)),
                fx.receipts());
        List<TestRecord<String, UserCommand>> announced = fanOutRecords();
        assertEquals(List.of("alice<-bob:READ:3", "bob<-bob:READ:3", "carol<-bob:READ:3", "alice<-carol:DELIVERED:2",
                "bob<-carol:DELIVERED:2"), announced.stream().map(ReceiptWaveTopologyTest::describe).toList());
        // each carries the origin of the record it went out with, so the user side can tell a replay's repeat
        List<Origin> origins = announced.stream().map(r -> Origin.of(r.headers()).orElseThrow()).toList();
        assertEquals(List.of(0, 1, 2, 3, 4), origins.stream().map(Origin::index).toList());
        assertTrue(origins.stream().map(Origin::offset).distinct().count() == 1, "one input record: " + origins);
        assertTrue(c1().getHeldReceipts().isEmpty());
    }

    @Test
    void aReceiptAnIntervalAfterTheLastAnnouncementTakesTheHeldOnesAlong() {
        groupWithMessages(Map.of(), 3);
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.receipts();
        fx.inboundAfter(SOON, "c1", new DeliveredUpTo("carol", 2L));
        Instant carolAt = fx.now();

        fx.inboundAfter(Duration.ofSeconds(1), "c1", new ReadUpTo("bob", "bob-phone", 3L));

        assertEquals(List.of(new Receipt("c1", "carol", DELIVERED, 2L, carolAt), new Receipt("c1", "bob", READ, 3L,
                fx.now())), fx.receipts());
        fx.inboundAfter(Duration.ofSeconds(5), "c2", new ReadUpTo("erin", "erin-phone", 0L));
        assertEquals(List.of(), fx.receipts(), "nothing left to let out later");
    }

    @Test
    void aQuietPartitionAsksForATickOnlyWhileReceiptsAreHeldAndTheTickLetsThemOut() {
        groupWithMessages(Map.of(), 2);
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.receipts();
        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 2L));
        Instant heldAt = fx.now();
        assertTrue(fx.inboundTicksAsked.isEmpty());

        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        fx.driver.advanceWallClockTime(Duration.ofMillis(500));
        assertEquals(1, fx.inboundTicksAsked.size(), "one tick asked for, not one per look: " + fx.inboundTicksAsked);
        assertEquals(List.of(), fx.receipts(), "the wall clock itself lets nothing out");

        fx.inboundTick(fx.now().plusSeconds(1));
        List<org.apache.kafka.streams.KeyValue<String, Receipt>> released =
                fx.output(fx.topics.receipts()).readKeyValuesToList();
        assertEquals(List.of(org.apache.kafka.streams.KeyValue.pair("c1", new Receipt("c1", "bob", READ, 2L, heldAt))),
                released, "keyed by its conversation, not by the tick that let it out (which has no key)");

        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertEquals(1, fx.inboundTicksAsked.size(), "nothing held: no more ticks");
    }

    @Test
    void aReceiptLetOutByAnotherConversationsRecordIsKeyedByItsOwn() {
        groupWithMessages(Map.of(), 2);
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.receipts();
        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 2L));

        fx.inboundAfter(Duration.ofSeconds(1), "c2", new ReadUpTo("erin", "erin-phone", 0L));

        assertEquals(List.of("c1"), fx.output(fx.topics.receipts()).readKeyValuesToList().stream()
                .map(kv -> kv.key).toList());
    }

    @Test
    void aRecordStampedBeforeTheLastAnnouncementIsNotHeldBehindAClockThatRanAhead() {
        groupWithMessages(Map.of(), 3);
        // a record from a gateway whose clock runs 5 s ahead announces first...
        fx.inboundAfter(Duration.ofSeconds(5), "c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.receipts();
        // ...then the others' records, stamped by right clocks, come "earlier": they go at once, not 5 s later
        fx.inboundAfter(Duration.ofSeconds(-4), "c1", new ReadUpTo("carol", "carol-phone", 2L));

        assertEquals(List.of(2L), fx.receipts().stream().map(Receipt::getSeq).toList());
    }

    @Test
    void withAZeroIntervalEveryReceiptGoesAtOnce() {
        groupWithMessages(Map.of("RECEIPT_INTERVAL", "0s"), 3);

        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 2L));
        fx.inboundAfter(SOON, "c1", new DeliveredUpTo("carol", 3L));

        assertEquals(List.of(1L, 2L, 3L), fx.receipts().stream().map(Receipt::getSeq).toList());
        fx.driver.advanceWallClockTime(Duration.ofSeconds(5));
        assertTrue(fx.inboundTicksAsked.isEmpty());
    }

    @Test
    void aMemberRemovedWhileItsReceiptIsHeldSendsNoneAndTheOthersStillGo() {
        groupWithMessages(Map.of(), 2);
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        fx.receipts();
        fx.inboundAfter(SOON, "c1", new ReadUpTo("carol", "carol-phone", 2L));
        fx.inboundAfter(SOON, "c1", new ReadUpTo("bob", "bob-phone", 2L));
        Instant bobAt = fx.now();
        fx.inboundAfter(SOON, "c1", new io.kchat.events.ConversationChanged(MEMBER_REMOVED, "alice", null,
                new io.kchat.events.ConversationSnapshot("c1", io.kchat.events.ConversationType.GROUP, null,
                        List.of(new io.kchat.events.Member("alice", io.kchat.events.MemberRole.OWNER),
                                new io.kchat.events.Member("bob", io.kchat.events.MemberRole.MEMBER)), 2L, false, false, null)));
        fanOutRecords();

        fx.inboundTick(fx.now().plusSeconds(1));

        assertEquals(List.of(new Receipt("c1", "bob", READ, 2L, bobAt)), fx.receipts());
        assertEquals(List.of("alice<-bob:READ:2", "bob<-bob:READ:2"),
                fanOutRecords().stream().map(ReceiptWaveTopologyTest::describe).toList());
    }
}
