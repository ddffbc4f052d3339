package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ConversationEventKind.MEMBER_REMOVED;
import static io.kchat.events.MessageUpdateKind.DELETE;
import static io.kchat.events.MessageUpdateKind.EDIT;
import static io.kchat.events.MessageUpdateKind.REACTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Envelope;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageFacts;
import io.kchat.events.MessageMeta;
import io.kchat.events.MessageUpdate;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.SendMessage;
import io.kchat.events.SendRefused;
import io.kchat.events.UpdateMessage;
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

/** Edits, deletes, reactions and replies (D13): every rule, judged in order with the messages. */
class MessageUpdateTopologyTest {

    @TempDir
    Path stateDir;
    private TopologyFixture fx;
    private int ids;

    @BeforeEach
    void start() {
        fx = new TopologyFixture(stateDir, 10_000);
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theAuthorsEditGoesToTheUpdatesTopicAndEveryMemberWithoutASeq() {
        group("c1", 1, "alice", "bob", "carol");
        fx.send("c1", "alice", "m-1", "helo");
        fx.messages();
        fanOut();

        update("c1", "alice", 1, EDIT, "hello", null, false);
        fx.send("c1", "bob", "m-2", "hi");

        MessageUpdate edit = updates().getFirst();
        assertEquals(1L, edit.getSeq());
        assertEquals(EDIT, edit.getKind());
        assertEquals("hello", edit.getBody());
        assertEquals("alice", edit.getUserId());
        assertEquals(MessageUpdateRules.updateId("c1", 1, 1), edit.getUpdateId());
        assertEquals(List.of(2L), fx.messages().stream().map(ChatMessage::getSeq).toList(), "an update takes no seq");
        List<KeyValue<String, Object>> fanOut = fanOut();
        assertEquals(List.of("alice", "bob", "carol"), fanOut.stream()
                .filter(kv -> kv.value instanceof MessageUpdate).map(kv -> kv.key).toList());
        List<MessageMeta> meta = fx.output(fx.topics.messageMeta()).readValuesToList();
        assertEquals(EDIT, meta.get(1).getUpdate());
        assertEquals(5, meta.get(1).getBodyLength());
        assertEquals(meta.get(0).getMessageId(), meta.get(1).getMessageId(), "the update concerns the message");
        assertNull(meta.get(2).getUpdate(), "bob's message is a message");
    }

    @Test
    void onlyTheAuthorEditsAndTheRefusalGoesToTheEditorAlone() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "mine");
        fanOut();

        update("c1", "bob", 1, EDIT, "yours now", null, false);

        assertEquals(List.of(), updates());
        List<KeyValue<String, Object>> fanOut = fanOut();
        assertEquals(1, fanOut.size());
        assertEquals("bob", fanOut.getFirst().key);
        assertEquals(ConversationCommandProcessor.FORBIDDEN, ((SendRefused) fanOut.getFirst().value).getCode());
    }

    @Test
    void anEditAfterADeleteIsRefusedAndADeleteClearsTheReactions() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "oops");
        update("c1", "bob", 1, REACTION, null, "👍", false);
        update("c1", "alice", 1, DELETE, null, null, false);
        update("c1", "alice", 1, EDIT, "too late", null, false);
        update("c1", "bob", 1, REACTION, null, "😮", false);
        fanOut();

        assertEquals(List.of(REACTION, DELETE), updates().stream().map(MessageUpdate::getKind).toList());
        MessageFacts facts = fx.driver.<String, MessageFacts>getKeyValueStore(ConversationTopology.FACTS_STORE)
                .get(ConversationCommandProcessor.factsKey("c1", 1));
        assertTrue(facts.getDeleted());
        assertEquals(List.of(), facts.getReactions());
    }

    @Test
    void aMemberRemovedJustBeforeTheirEditCannotEdit() {
        group("c1", 1, "alice", "bob", "carol");
        fx.send("c1", "carol", "m-1", "bye");
        group("c1", 2, "alice", "bob"); // carol removed, in the partition before her edit
        fanOut();

        update("c1", "carol", 1, EDIT, "edited after leaving", null, false);

        assertEquals(List.of(), updates());
        assertEquals(ConversationCommandProcessor.NOT_FOUND, ((SendRefused) fanOut().getFirst().value).getCode());
    }

    @Test
    void ownersAndAdminsDeleteOthersMessagesInGroupsMembersDoNot() {
        group("c1", 1, "alice", "bob", "carol"); // alice owns it
        fx.send("c1", "bob", "m-1", "one");
        fx.send("c1", "bob", "m-2", "two");
        fanOut();

        update("c1", "carol", 1, DELETE, null, null, false);
        update("c1", "alice", 1, DELETE, null, null, false);
        update("c1", "bob", 2, DELETE, null, null, false);

        assertEquals(List.of("alice", "bob"), updates().stream().map(MessageUpdate::getUserId).toList());
        assertEquals(ConversationCommandProcessor.FORBIDDEN, ((SendRefused) fanOut().getFirst().value).getCode());
    }

    @Test
    void inADirectConversationOnlyTheAuthorDeletes() {
        direct("d1", "alice", "bob");
        fx.send("d1", "bob", "m-1", "hi");
        fanOut();

        update("d1", "alice", 1, DELETE, null, null, false);

        assertEquals(List.of(), updates());
    }

    @Test
    void reactionsAreSetsOfAtMostTwentyKeysPerPersonAndRepeatsChangeNothing() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "vote");
        update("c1", "bob", 1, REACTION, null, "👍", false);
        update("c1", "bob", 1, REACTION, null, "👍", false); // already there
        update("c1", "bob", 1, REACTION, null, "👍", true);
        update("c1", "bob", 1, REACTION, null, "👍", true); // already gone
        update("c1", "bob", 1, REACTION, null, "x".repeat(33), false);
        for (int i = 0; i < 21; i++) {
            update("c1", "alice", 1, REACTION, null, "k" + i, false);
        }
        fanOut();

        List<MessageUpdate> updates = updates();
        assertEquals(2 + 20, updates.size());
        assertEquals(List.of(false, true), updates.subList(0, 2).stream().map(MessageUpdate::getRemove).toList());
        assertTrue(updates.stream().noneMatch(u -> u.getKey().equals("k20")), "the 21st key is refused");
    }

    @Test
    void aRetriedIdChangesNothingTheSecondTime() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "x");
        update("c1", "bob", 1, REACTION, null, "👍", false, "r-1");
        update("c1", "bob", 1, REACTION, null, "👍", true, "r-2");
        update("c1", "bob", 1, REACTION, null, "👍", false, "r-1"); // the first one, retried

        assertEquals(List.of(false, true), updates().stream().map(MessageUpdate::getRemove).toList());
    }

    @Test
    void updatesOfUnknownOrFutureMessagesAreNotFound() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "x");
        fanOut();

        update("c1", "alice", 2, EDIT, "not yet", null, false);
        update("c1", "alice", 0, DELETE, null, null, false);
        update("c2", "alice", 1, DELETE, null, null, false);

        assertEquals(List.of(), updates());
        assertTrue(fanOut().stream().allMatch(kv -> ((SendRefused) kv.value).getCode()
                .equals(ConversationCommandProcessor.NOT_FOUND)));
    }

    @Test
    void aReplyNamesAnEarlierMessageOfTheConversation() {
        group("c1", 1, "alice", "bob");
        fx.send("c1", "alice", "m-1", "question");
        fx.inbound("c1", new SendMessage("m-2", "bob", "bob-phone", "answer", null, 1L, List.of(), false));
        fx.inbound("c1", new SendMessage("m-3", "bob", "bob-phone", "to the future", null, 9L, List.of(), false));
        fx.inbound("c1", new SendMessage("m-4", "bob", "bob-phone", "to nothing", null, 0L, List.of(), false));

        List<ChatMessage> messages = fx.messages();
        assertEquals(List.of(1L, 2L), messages.stream().map(ChatMessage::getSeq).toList());
        assertEquals(1L, messages.get(1).getReplyTo());
        assertEquals(2, fanOut().stream().filter(kv -> kv.value instanceof SendRefused refused
                && refused.getCode().equals(ConversationCommandProcessor.BAD_REQUEST)).count());
    }

    @Test
    void anEncryptedEditCarriesEnvelopesEachMemberGettingItsOwn() {
        List<Member> members = List.of(new Member("alice", MemberRole.OWNER), new Member("bob", MemberRole.MEMBER));
        fx.inbound("e1", new ConversationChanged(CREATED, "alice", null,
                new ConversationSnapshot("e1", ConversationType.GROUP, "g", members, 1L, false, true, null)));
        fx.inbound("e1", new SendMessage("m-1", "alice", "alice-phone", "", sealed("alice", "bob"), null, List.of(), false));
        fanOut();

        update("e1", "alice", 1, EDIT, "plain words", null, false);
        fx.inbound("e1", new UpdateMessage("u-x", "alice", "alice-phone", 1L, EDIT, null, sealed("alice", "bob"),
                null, false));

        MessageUpdate edit = updates().getFirst();
        assertNull(edit.getBody());
        assertEquals(2, edit.getCiphertext().getEnvelopes().size());
        List<KeyValue<String, Object>> fanOut = fanOut();
        assertEquals(ConversationCommandProcessor.BAD_REQUEST, ((SendRefused) fanOut.getFirst().value).getCode(),
                "a body in an encrypted conversation");
        for (KeyValue<String, Object> copy : fanOut.subList(1, fanOut.size())) {
            MessageUpdate forMember = (MessageUpdate) copy.value;
            assertEquals(List.of(copy.key), forMember.getCiphertext().getEnvelopes().stream()
                    .map(Envelope::getUserId).toList());
        }
    }

    private void update(String conversationId, String userId, long seq, MessageUpdateKind kind, String body,
                        String key, boolean remove) {
        update(conversationId, userId, seq, kind, body, key, remove, "u-" + (++ids));
    }

    private void update(String conversationId, String userId, long seq, MessageUpdateKind kind, String body,
                        String key, boolean remove, String clientId) {
        fx.inbound(conversationId, new UpdateMessage(clientId, userId, userId + "-phone", seq, kind, body, null, key,
                remove));
    }

    private void group(String conversationId, long version, String... memberIds) {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < memberIds.length; i++) {
            members.add(new Member(memberIds[i], i == 0 ? MemberRole.OWNER : MemberRole.MEMBER));
        }
        fx.inbound(conversationId, new ConversationChanged(version == 1 ? CREATED : MEMBER_REMOVED, memberIds[0], null,
                new ConversationSnapshot(conversationId, ConversationType.GROUP, "g", members, version, false, false, null)));
    }

    private void direct(String conversationId, String a, String b) {
        fx.inbound(conversationId, new ConversationChanged(CREATED, a, null, new ConversationSnapshot(conversationId,
                ConversationType.DIRECT, null, List.of(new Member(a, MemberRole.MEMBER), new Member(b, MemberRole.MEMBER)),
                1L, false, false, null)));
    }

    private List<MessageUpdate> updates() {
        return fx.output(fx.topics.messageUpdates()).readValuesToList();
    }

    /** The payloads written to members' logs since the last call, keyed by member. */
    private List<KeyValue<String, Object>> fanOut() {
        return fx.output(fx.topics.userInbound()).readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, ((UserEvent) ((UserCommand) kv.value).getCommand()).getPayload()))
                .filter(kv -> kv.value instanceof MessageUpdate || kv.value instanceof SendRefused)
                .toList();
    }

    private static Ciphertext sealed(String... userIds) {
        List<Envelope> envelopes = new ArrayList<>();
        for (String userId : userIds) {
            envelopes.add(new Envelope(userId, userId + "-phone",
                    ByteBuffer.wrap(("sealed for " + userId).getBytes(StandardCharsets.UTF_8))));
        }
        return new Ciphertext("test-v1", "alice-phone", envelopes);
    }
}
