package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ConversationEventKind.UPDATED;
import static io.kchat.events.ConversationEventKind.MEMBER_REMOVED;
import static io.kchat.events.ReceiptKind.DELIVERED;
import static io.kchat.events.ReceiptKind.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationState;
import io.kchat.events.ConversationType;
import io.kchat.events.DeliveredCursor;
import io.kchat.events.DeliveredUpTo;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageMeta;
import io.kchat.events.ReadCursor;
import io.kchat.events.ReadUpTo;
import io.kchat.events.Receipt;
import io.kchat.events.SendRefused;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.TopologyFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConversationTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @BeforeEach
    void start() {
        fx = new TopologyFixture(stateDir, 10_000);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    private List<KeyValue<String, UserCommand>> fanOut() {
        return fx.output(fx.topics.userInbound()).readKeyValuesToList();
    }

    @Test
    void acceptedMessagesGetGapFreeSeqInInboundOrderAndReachEveryMember() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fanOut();
        for (int i = 1; i <= 100; i++) {
            fx.send("c1", i % 2 == 0 ? "alice" : "bob", "id-" + i, "m" + i);
        }
        List<ChatMessage> messages = fx.messages();
        assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), messages.stream().map(ChatMessage::getSeq).toList());
        assertEquals("m1", messages.get(0).getBody());
        assertEquals("m100", messages.get(99).getBody());

        // each reply also passed the other's message: its read receipt goes to the members between the messages
        List<KeyValue<String, UserCommand>> fanOut = fanOut().stream()
                .filter(kv -> ((UserEvent) kv.value.getCommand()).getPayload() instanceof ChatMessage).toList();
        assertEquals(300, fanOut.size());
        for (String member : List.of("alice", "bob", "carol")) {
            List<Long> seqs = fanOut.stream().filter(kv -> kv.key.equals(member))
                    .map(kv -> ((ChatMessage) ((UserEvent) kv.value.getCommand()).getPayload()).getSeq()).toList();
            assertEquals(LongStream.rangeClosed(1, 100).boxed().toList(), seqs, member);
        }
    }

    @Test
    void aSendThatPassesOthersMessagesAnnouncesTheSendersReadOnce() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "a-1", "one");
        fx.send("c1", "alice", "a-2", "two");
        fx.send("c1", "bob", "b-1", "a reply without a read first");
        Instant replied = fx.now();
        fx.send("c1", "bob", "b-2", "and another");
        fx.send("c1", "alice", "a-3", "a reply to both");
        Instant answered = fx.now();
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 2L));
        fx.send("c1", "alice", "a-4", "after her own message only");

        assertEquals(List.of(new Receipt("c1", "bob", READ, 3L, replied), new Receipt("c1", "alice", READ, 5L, answered)),
                fx.receipts(), "bob's reply passed alice's two messages, alice's reply bob's two; bob's second message "
                        + "and alice's last passed nothing unread, and the late read moves nothing");
    }

    @Test
    void messageIdAndTimestampAreDerivedFromInputNotFromTheClock() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "id-1", "hi");
        ChatMessage message = fx.messages().getFirst();
        assertEquals(ConversationCommandProcessor.messageId("c1", 1), message.getMessageId());
        assertNotEquals(ConversationCommandProcessor.messageId("c2", 1), message.getMessageId());
        assertEquals(fx.now(), message.getTs());
    }

    @Test
    void aRetriedIdYieldsOneMessageAndTheOriginalEchoToTheSenderOnly() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "id-1", "hello");
        fx.send("c1", "alice", "id-1", "hello (retry)");
        fx.send("c1", "bob", "id-1", "same id, other sender");

        List<ChatMessage> messages = fx.messages();
        assertEquals(List.of(1L, 2L), messages.stream().map(ChatMessage::getSeq).toList());
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        // created(2) + first message(2) + echo to alice(1) + bob's message(2) + bob's read receipt(2), as his message
        // passed alice's
        assertEquals(9, fanOut.size());
        KeyValue<String, UserCommand> echo = fanOut.get(4);
        assertEquals("alice", echo.key);
        ChatMessage echoed = (ChatMessage) ((UserEvent) echo.value.getCommand()).getPayload();
        assertEquals(messages.getFirst(), echoed);
    }

    /** chat.message-meta as written: keys and the raw values, which must not contain what the sender wrote. */
    private List<KeyValue<String, byte[]>> messageMetaWritten() {
        return fx.driver.createOutputTopic(fx.topics.messageMeta().name(), new StringDeserializer(),
                new ByteArrayDeserializer()).readKeyValuesToList();
    }

    @Test
    void eachAcceptedMessageAndOnlyItYieldsOneMetadataRecordWithoutContent() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "id-1", "secret plan");
        fx.send("c1", "bob", "id-2", "d\u00e9j\u00e0 vu \uD83D\uDC4B"); // 9 code points, 10 UTF-16 chars
        fx.send("c1", "alice", "id-1", "secret plan (retry)");
        fx.send("c1", "mallory", "id-3", "let me in");
        fx.send("nope", "alice", "id-4", "unknown conversation");

        List<ChatMessage> messages = fx.messages();
        List<KeyValue<String, byte[]>> written = messageMetaWritten();
        assertEquals(2, messages.size());
        assertEquals(List.of("c1", "c1"), written.stream().map(kv -> kv.key).toList(), "keyed like chat.messages");
        var values = fx.topics.messageMeta().valueSerde().deserializer();
        List<MessageMeta> meta = written.stream().map(kv -> values.deserialize(fx.topics.messageMeta().name(), kv.value)).toList();
        assertEquals(List.of(
                new MessageMeta("c1", 1L, messages.get(0).getMessageId(), "alice", 11, messages.get(0).getTs(), false, null, 0),
                new MessageMeta("c1", 2L, messages.get(1).getMessageId(), "bob", 9, messages.get(1).getTs(), false, null, 0)), meta);
        for (KeyValue<String, byte[]> kv : written) {
            String raw = new String(kv.value, StandardCharsets.ISO_8859_1);
            for (ChatMessage message : messages) {
                for (String secret : List.of(message.getBody(), message.getClientId(), message.getSenderDeviceId())) {
                    assertTrue(!raw.contains(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)),
                            "metadata record carries '" + secret + "'");
                }
            }
        }
    }

    @Test
    void theMetadataRecordHasNoFieldForWhatTheSenderWroteOrChose() {
        assertEquals(List.of("conversationId", "seq", "messageId", "senderId", "bodyLength", "ts", "encrypted", "update",
                        "attachmentCount"),
                MessageMeta.getClassSchema().getFields().stream().map(Schema.Field::name).toList(),
                "a new field of chat.message-meta must not carry content (analytics readers must not see it)");
    }

    @Test
    void metadataFollowsTheMessagesOneForOneInSeqOrder() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.conversation("c2", CREATED, 1, "bob", "bob", "carol");
        for (int i = 1; i <= 30; i++) {
            fx.send(i % 3 == 0 ? "c2" : "c1", i % 2 == 0 ? "alice" : "bob", "id-" + i, "m" + i);
        }
        List<KeyValue<String, ChatMessage>> messages = fx.output(fx.topics.messages()).readKeyValuesToList();
        List<KeyValue<String, MessageMeta>> meta = fx.output(fx.topics.messageMeta()).readKeyValuesToList();
        assertEquals(25, messages.size(), "alice's five sends to c2 are refused");
        assertEquals(messages.stream().map(kv -> kv.key + "#" + kv.value.getSeq() + "#" + kv.value.getMessageId()).toList(),
                meta.stream().map(kv -> kv.key + "#" + kv.value.getSeq() + "#" + kv.value.getMessageId()).toList());
    }

    @Test
    void theDedupeWindowIsBounded() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "id-1", "first");
        fx.advance(ConversationTopology.DEFAULT_DEDUPE_WINDOW.plus(Duration.ofDays(1)));
        fx.send("c1", "alice", "id-1", "a week later the id is new again");
        assertEquals(2, fx.messages().size());
    }

    @Test
    void aNonMemberIsRefusedAndNothingIsStored() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fanOut();
        fx.send("c1", "mallory", "id-x", "let me in");
        fx.send("nope", "alice", "id-y", "unknown conversation");

        assertTrue(fx.messages().isEmpty());
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        assertEquals(2, fanOut.size());
        SendRefused refused = (SendRefused) ((UserEvent) fanOut.get(0).value.getCommand()).getPayload();
        assertEquals("mallory", fanOut.get(0).key);
        assertEquals("id-x", refused.getClientId());
        assertEquals(ConversationCommandProcessor.NOT_FOUND, refused.getCode());
        assertEquals("alice", fanOut.get(1).key);
        ConversationState state = fx.driver.<String, ConversationState>getKeyValueStore(ConversationTopology.STATE_STORE).get("c1");
        assertEquals(0L, state.getLastSeq());
    }

    @Test
    void aBlockStopsBothSidesFromPostingFromTheCommandOnWithoutTellingTheMembersAndAnUnblockLetsThemAgain() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "bob", "id-1", "before the block");
        fanOut();

        fx.conversation("c1", UPDATED, 2, true, "alice", "alice", "bob");
        assertTrue(fanOut().isEmpty(), "a block is nobody's conversation event");
        // the other side blocks too: a new version, the flag unchanged; still nothing that tells anyone
        fx.conversation("c1", UPDATED, 3, true, "bob", "alice", "bob");
        assertTrue(fanOut().isEmpty(), "nor is a second block");
        fx.send("c1", "bob", "id-2", "after the block");
        fx.send("c1", "alice", "id-3", "the blocker too");
        // the relay's late copy of the block, or an older version, changes nothing
        fx.conversation("c1", UPDATED, 2, true, "alice", "alice", "bob");

        List<KeyValue<String, UserCommand>> refusals = fanOut();
        assertEquals(List.of("bob", "alice"), refusals.stream().map(kv -> kv.key).toList());
        for (KeyValue<String, UserCommand> kv : refusals) {
            SendRefused refused = (SendRefused) ((UserEvent) kv.value.getCommand()).getPayload();
            assertEquals(ConversationCommandProcessor.FORBIDDEN, refused.getCode());
        }
        assertEquals(List.of("before the block"), fx.messages().stream().map(ChatMessage::getBody).toList());

        fx.conversation("c1", UPDATED, 4, false, "alice", "alice", "bob");
        fx.send("c1", "bob", "id-4", "after the unblock");
        List<ChatMessage> after = fx.messages();
        assertEquals(List.of("after the unblock"), after.stream().map(ChatMessage::getBody).toList());
        assertEquals(2L, after.getFirst().getSeq(), "refused sends took no seq");
    }

    @Test
    void aGroupAvatarChangedAloneReachesEveryMemberAsAnUpdateAndItsReplayDoesNot() {
        fx.inbound("g1", group(1, CREATED, null));
        fanOut();

        fx.inbound("g1", group(2, UPDATED, "media-1"));
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        assertEquals(List.of("alice", "bob", "carol"), fanOut.stream().map(kv -> kv.key).toList());
        for (KeyValue<String, UserCommand> kv : fanOut) {
            ConversationEvent event = (ConversationEvent) ((UserEvent) kv.value.getCommand()).getPayload();
            assertEquals(UPDATED, event.getKind());
            assertEquals("media-1", event.getConversation().getAvatarMediaId());
        }

        fx.inbound("g1", group(2, UPDATED, "media-1")); // the relay's copy
        assertTrue(fanOut().isEmpty());
        fx.inbound("g1", group(3, UPDATED, null)); // cleared
        assertEquals(3, fanOut().size());
    }

    /** A group of alice (owner), bob and carol with the title "team" whose avatar is {@code avatarMediaId}. */
    private static ConversationChanged group(long version, ConversationEventKind kind, String avatarMediaId) {
        List<Member> members = List.of(new Member("alice", MemberRole.OWNER), new Member("bob", MemberRole.MEMBER),
                new Member("carol", MemberRole.MEMBER));
        return new ConversationChanged(kind, "alice", null, new ConversationSnapshot("g1", ConversationType.GROUP,
                "team", members, version, false, false, avatarMediaId));
    }

    @Test
    void membershipIsAppliedByVersionSoACdcReplayChangesNothing() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fx.conversation("c1", MEMBER_REMOVED, 2, "alice", "alice", "bob");
        fanOut();
        // The outbox relay delivers both commands again, after the REST publish: both are stale now.
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fx.conversation("c1", MEMBER_REMOVED, 2, "alice", "alice", "bob");
        assertTrue(fanOut().isEmpty());

        fx.send("c1", "alice", "id-1", "after carol left");
        fx.send("c1", "carol", "id-2", "carol tries");
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        assertEquals(List.of("alice", "bob", "carol"), fanOut.stream().map(kv -> kv.key).toList());
        assertTrue(((UserEvent) fanOut.get(2).value.getCommand()).getPayload() instanceof SendRefused);
        assertEquals(1, fx.messages().size());
    }

    @Test
    void aRemovedMemberIsToldOfTheRemoval() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fanOut();
        fx.conversation("c1", MEMBER_REMOVED, 2, "alice", "alice", "bob");
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        assertEquals(List.of("alice", "bob", "carol"), fanOut.stream().map(kv -> kv.key).toList());
        ConversationEvent event = (ConversationEvent) ((UserEvent) fanOut.get(2).value.getCommand()).getPayload();
        assertEquals(MEMBER_REMOVED, event.getKind());
        assertEquals(2L, event.getConversation().getVersion());
    }

    @Test
    void readCursorsNeverMoveBackNorPastTheLastSeq() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.send("c1", "alice", "id-1", "one");
        fx.send("c1", "alice", "id-2", "two");
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 99L));
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        ConversationState state = fx.driver.<String, ConversationState>getKeyValueStore(ConversationTopology.STATE_STORE).get("c1");
        assertEquals(2L, state.getReadCursors().stream().filter(c -> c.getUserId().equals("bob")).findFirst().orElseThrow().getReadSeq());
        assertEquals(2L, state.getReadCursors().stream().filter(c -> c.getUserId().equals("alice")).findFirst().orElseThrow().getReadSeq());
    }

    private List<String> receiptRecipients(List<KeyValue<String, UserCommand>> fanOut, Receipt expected) {
        for (KeyValue<String, UserCommand> kv : fanOut) {
            assertEquals(expected, ((UserEvent) kv.value.getCommand()).getPayload(), kv.key);
        }
        return fanOut.stream().map(kv -> kv.key).toList();
    }

    private ConversationState state(String conversationId) {
        return fx.driver.<String, ConversationState>getKeyValueStore(ConversationTopology.STATE_STORE).get(conversationId);
    }

    @Test
    void aDeliveredFrontierReachesTheOtherMembersOncePerAdvanceAndNeverPastTheLastSeq() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fx.send("c1", "alice", "id-1", "one");
        fx.send("c1", "alice", "id-2", "two");
        fanOut();
        fx.inbound("c1", new DeliveredUpTo("bob", 99L));
        Instant deliveredAt = fx.now();
        fx.inbound("c1", new DeliveredUpTo("bob", 2L));
        fx.inbound("c1", new DeliveredUpTo("bob", 1L));
        fx.inbound("c1", new DeliveredUpTo("mallory", 2L));

        Receipt expected = new Receipt("c1", "bob", DELIVERED, 2L, deliveredAt);
        assertEquals(List.of(expected), fx.receipts());
        assertEquals(List.of("alice", "carol"), receiptRecipients(fanOut(), expected));
        assertEquals(List.of(new DeliveredCursor("bob", 2L)), state("c1").getDeliveredCursors());
    }

    @Test
    void aReadReceiptReachesEveryMemberIncludingTheReaderButSendingMakesNone() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fanOut();
        fx.send("c1", "alice", "id-1", "one");
        assertTrue(fanOut().stream().allMatch(kv -> ((UserEvent) kv.value.getCommand()).getPayload() instanceof ChatMessage));
        fx.inbound("c1", new ReadUpTo("alice", "alice-laptop", 1L)); // already there by sending
        assertTrue(fx.receipts().isEmpty());
        assertTrue(fanOut().isEmpty());

        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        Instant readAt = fx.now();
        fx.inbound("c1", new ReadUpTo("bob", "bob-laptop", 1L)); // the same read from bob's other device

        Receipt expected = new Receipt("c1", "bob", READ, 1L, readAt);
        assertEquals(List.of(expected), fx.receipts());
        assertEquals(List.of("alice", "bob", "carol"), receiptRecipients(fanOut(), expected));
    }

    @Test
    void aRemovedMemberLosesItsCursorsAndGetsNoReceipts() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fx.send("c1", "alice", "id-1", "one");
        fx.inbound("c1", new ReadUpTo("carol", "carol-phone", 1L));
        fx.inbound("c1", new DeliveredUpTo("carol", 1L));
        fx.conversation("c1", MEMBER_REMOVED, 2, "alice", "alice", "bob");
        assertEquals(List.of("alice"), state("c1").getReadCursors().stream().map(ReadCursor::getUserId).toList());
        assertTrue(state("c1").getDeliveredCursors().isEmpty());
        fanOut();
        fx.receipts();

        fx.inbound("c1", new DeliveredUpTo("carol", 1L));
        fx.inbound("c1", new ReadUpTo("bob", "bob-phone", 1L));
        Instant readAt = fx.now();

        assertEquals(List.of(new Receipt("c1", "bob", READ, 1L, readAt)), fx.receipts());
        assertEquals(List.of("alice", "bob"), receiptRecipients(fanOut(), new Receipt("c1", "bob", READ, 1L, readAt)));
    }
}
