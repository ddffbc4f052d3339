package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ConversationEventKind.MEMBER_REMOVED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEventKind;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Envelope;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageMeta;
import io.kchat.events.SendMessage;
import io.kchat.events.SendRefused;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.TopologyFixture;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The conversation side's rules for end-to-end encrypted conversations: content kind, envelopes per member. */
class EncryptedConversationTopologyTest {

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

    @Test
    void eachMembersLogGetsOnlyItsOwnEnvelopesAndTheTopicHoldsNoBody() {
        conversation(CREATED, 1, true, "alice", "bob", "carol");
        fx.inbound("c1", encryptedSend("id-1", envelope("alice", "alice-laptop"), envelope("bob", "bob-phone"),
                envelope("bob", "bob-tablet"), envelope("carol", "carol-phone")));

        ChatMessage sequenced = fx.messages().getFirst();
        assertEquals("", sequenced.getBody());
        assertEquals(4, sequenced.getCiphertext().getEnvelopes().size());
        assertEquals("x25519-test", sequenced.getCiphertext().getAlgorithm());

        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        assertEquals(List.of("alice", "bob", "carol"), fanOut.stream().map(kv -> kv.key).toList());
        for (KeyValue<String, UserCommand> copy : fanOut) {
            ChatMessage forMember = (ChatMessage) ((UserEvent) copy.value.getCommand()).getPayload();
            assertEquals(1L, forMember.getSeq());
            assertTrue(forMember.getCiphertext().getEnvelopes().stream().allMatch(e -> e.getUserId().equals(copy.key)),
                    copy.key + " got someone else's envelope: " + forMember.getCiphertext().getEnvelopes());
        }
        ChatMessage bobs = (ChatMessage) ((UserEvent) fanOut.get(1).value.getCommand()).getPayload();
        assertEquals(List.of("bob-phone", "bob-tablet"),
                bobs.getCiphertext().getEnvelopes().stream().map(Envelope::getDeviceId).toList());
    }

    @Test
    void aBodyInAnEncryptedConversationIsRefusedAndTakesNoSeq() {
        conversation(CREATED, 1, true, "alice", "bob");
        fx.send("c1", "alice", "id-1", "plain words");
        fx.inbound("c1", encryptedSend("id-2", envelope("bob", "bob-phone")));

        assertEquals(List.of(1L), fx.messages().stream().map(ChatMessage::getSeq).toList(),
                "the refused send took no seq: the next one is 1");
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        SendRefused refused = (SendRefused) ((UserEvent) fanOut.getFirst().value.getCommand()).getPayload();
        assertEquals("alice", fanOut.getFirst().key);
        assertEquals(ConversationCommandProcessor.BAD_REQUEST, refused.getCode());
        assertEquals("id-1", refused.getClientId());
    }

    @Test
    void aCiphertextInAPlainConversationIsRefused() {
        conversation(CREATED, 1, false, "alice", "bob");
        fx.inbound("c1", encryptedSend("id-1", envelope("bob", "bob-phone")));
        fx.send("c1", "alice", "id-2", "hello");

        List<ChatMessage> messages = fx.messages();
        assertEquals(1, messages.size());
        assertEquals("id-2", messages.getFirst().getClientId());
        assertNull(messages.getFirst().getCiphertext());
        SendRefused refused = (SendRefused) ((UserEvent) fanOut().getFirst().value.getCommand()).getPayload();
        assertEquals(ConversationCommandProcessor.BAD_REQUEST, refused.getCode());
    }

    /** The gateway checked against members it read before a removal that this partition applied first. */
    @Test
    void anEnvelopeForSomeoneRemovedBeforeTheMessageIsDropped() {
        conversation(CREATED, 1, true, "alice", "bob", "carol");
        conversation(MEMBER_REMOVED, 2, true, "alice", "bob");
        fx.inbound("c1", encryptedSend("id-1", envelope("bob", "bob-phone"), envelope("carol", "carol-phone")));

        ChatMessage sequenced = fx.messages().getFirst();
        assertEquals(List.of("bob"), sequenced.getCiphertext().getEnvelopes().stream().map(Envelope::getUserId).toList());
        assertEquals(List.of("alice", "bob"), fanOut().stream().map(kv -> kv.key).toList());
    }

    @Test
    void aRetriedIdEchoesTheSendersOwnEnvelopesOnly() {
        conversation(CREATED, 1, true, "alice", "bob");
        fx.inbound("c1", encryptedSend("id-1", envelope("alice", "alice-laptop"), envelope("bob", "bob-phone")));
        fanOut();
        fx.inbound("c1", encryptedSend("id-1", envelope("alice", "alice-laptop"), envelope("bob", "bob-phone")));

        assertEquals(1, fx.messages().size());
        List<KeyValue<String, UserCommand>> echo = fanOut();
        assertEquals(List.of("alice"), echo.stream().map(kv -> kv.key).toList());
        ChatMessage again = (ChatMessage) ((UserEvent) echo.getFirst().value.getCommand()).getPayload();
        assertEquals(List.of("alice-laptop"),
                again.getCiphertext().getEnvelopes().stream().map(Envelope::getDeviceId).toList());
    }

    @Test
    void theMetadataRecordMarksEncryptedMessagesWithoutALength() {
        conversation(CREATED, 1, true, "alice", "bob");
        fx.inbound("c1", encryptedSend("id-1", envelope("bob", "bob-phone")));

        ChatMessage sequenced = fx.messages().getFirst();
        MessageMeta meta = fx.output(fx.topics.messageMeta()).readValuesToList().getFirst();
        assertEquals(new MessageMeta("c1", 1L, sequenced.getMessageId(), "alice", 0, sequenced.getTs(), true, null, 0), meta);
    }

    private List<KeyValue<String, UserCommand>> fanOut() {
        return fx.output(fx.topics.userInbound()).readKeyValuesToList();
    }

    private void conversation(ConversationEventKind kind, long version, boolean encrypted, String... memberIds) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < memberIds.length; i++) {
            members.add(new Member(memberIds[i], i == 0 ? MemberRole.OWNER : MemberRole.MEMBER));
        }
        ConversationType type = memberIds.length == 2 ? ConversationType.DIRECT : ConversationType.GROUP;
        fx.inbound("c1", new ConversationChanged(kind, "alice", null,
                new ConversationSnapshot("c1", type, null, members, (long) version, false, encrypted, null)));
        fanOut(); // the conversation events: each test looks at what its sends fan out
    }

    private static SendMessage encryptedSend(String clientId, Envelope... envelopes) {
        return new SendMessage(clientId, "alice", "alice-laptop", "",
                new Ciphertext("x25519-test", "alice-laptop", List.of(envelopes)), null, List.of(), false);
    }

    private static Envelope envelope(String userId, String deviceId) {
        return new Envelope(userId, deviceId,
                ByteBuffer.wrap(("sealed for " + deviceId).getBytes(StandardCharsets.UTF_8)));
    }
}
