package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static io.kchat.events.ReceiptKind.READ;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kchat.events.ChatMessage;
import io.kchat.events.ConversationChanged;
import io.kchat.events.ConversationEvent;
import io.kchat.events.ConversationSnapshot;
import io.kchat.events.ConversationType;
import io.kchat.events.Member;
import io.kchat.events.MemberRole;
import io.kchat.events.MessageUpdate;
import io.kchat.events.MessageUpdateKind;
import io.kchat.events.Receipt;
import io.kchat.events.SendMessage;
import io.kchat.events.UpdateMessage;
import io.kchat.events.UserCommand;
import io.kchat.events.UserEvent;
import io.kchat.processor.TopologyFixture;
import io.kchat.schemas.AssistantUser;
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An assistant conversation (D15): a person and the assistant's user, whose answers arrive through chat.inbound like
 * any send, deduplicated by the id derived from the question, and the only sends whose {@code failed} is believed.
 */
class AssistantConversationTopologyTest {

    private static final String ASSISTANT = AssistantUser.ID;

    @TempDir
    Path stateDir;
    private TopologyFixture fx;

    @BeforeEach
    void start() {
        fx = new TopologyFixture(stateDir, 10_000);
        fx.inbound("a1", new ConversationChanged(CREATED, "ann", null, new ConversationSnapshot("a1",
                ConversationType.ASSISTANT, "Ask", List.of(new Member("ann", MemberRole.OWNER),
                new Member(ASSISTANT, MemberRole.MEMBER)), 1L, false, false, null)));
    }

    @AfterEach
    void stop() {
        fx.close();
    }

    @Test
    void theConversationReachesThePersonOnlyNotTheAssistantsLog() {
        List<KeyValue<String, Object>> fanOut = fanOut();

        assertEquals(List.of("ann"), fanOut.stream().map(kv -> kv.key).toList());
        assertEquals(ConversationType.ASSISTANT,
                ((ConversationEvent) fanOut.getFirst().value).getConversation().getType());
    }

    @Test
    void theAnswerIsSequencedAfterTheQuestionAndReachesThePersonWithItsFailedFlag() {
        fanOut();
        question("q-1", "what is Kafka?");
        answer(1, "sorry, the model is unavailable", true);

        List<ChatMessage> messages = fx.messages();
        assertEquals(List.of(1L, 2L), messages.stream().map(ChatMessage::getSeq).toList());
        ChatMessage answer = messages.get(1);
        assertEquals(ASSISTANT, answer.getSenderId());
        assertEquals(AssistantUser.DEVICE_ID, answer.getSenderDeviceId());
        assertEquals(AssistantUser.answerClientId(1), answer.getClientId());
        assertEquals(1L, answer.getReplyTo());
        assertTrue(answer.getFailed());

        List<KeyValue<String, Object>> fanOut = fanOut();
        assertTrue(fanOut.stream().allMatch(kv -> kv.key.equals("ann")), "nothing for the assistant's log: " + fanOut);
        assertEquals(messages, fanOut.stream().filter(kv -> kv.value instanceof ChatMessage)
                .map(kv -> (ChatMessage) kv.value).toList());
        // the answer passed the question unread by the assistant: the person sees the question read
        Receipt read = new Receipt("a1", ASSISTANT, READ, 2L, answer.getTs());
        assertEquals(List.of(read), fx.receipts());
        assertEquals(List.of(read), fanOut.stream().filter(kv -> kv.value instanceof Receipt).map(kv -> kv.value)
                .toList());
    }

    @Test
    void anAnswerPostedAgainAfterACrashYieldsNoSecondMessage() {
        question("q-1", "what is Kafka?");
        answer(1, "a log", false);
        fx.messages();
        fanOut();

        answer(1, "a distributed log, written again", false);
        question("q-2", "and Streams?");
        answer(2, "a library", false);

        assertEquals(List.of(3L, 4L), fx.messages().stream().map(ChatMessage::getSeq).toList(),
                "the repeat took no seq");
        List<Long> toPerson = fanOut().stream().filter(kv -> kv.value instanceof ChatMessage)
                .map(kv -> ((ChatMessage) kv.value).getSeq()).toList();
        assertEquals(List.of(3L, 4L), toPerson, "the repeat's echo is the sender's, and the assistant has no log");
    }

    @Test
    void aPersonsSendClaimingFailureIsNotBelieved() {
        fx.inbound("a1", new SendMessage("q-1", "ann", "ann-phone", "pretend", null, null, List.of(), true));

        ChatMessage message = fx.messages().getFirst();
        assertFalse(message.getFailed());
        ChatMessage logged = (ChatMessage) fanOut().stream().filter(kv -> kv.value instanceof ChatMessage)
                .findFirst().orElseThrow().value;
        assertFalse(logged.getFailed());
    }

    @Test
    void thePersonDeletesTheirQuestionAndReactsToTheAnswer() {
        question("q-1", "oops");
        answer(1, "an answer", false);
        fx.inbound("a1", new UpdateMessage("u-1", "ann", "ann-phone", 1L, MessageUpdateKind.DELETE, null, null, null,
                false));
        fx.inbound("a1", new UpdateMessage("u-2", "ann", "ann-phone", 2L, MessageUpdateKind.REACTION, null, null,
                "👍", false));

        List<MessageUpdate> updates = fx.output(fx.topics.messageUpdates()).readValuesToList();
        assertEquals(List.of(MessageUpdateKind.DELETE, MessageUpdateKind.REACTION),
                updates.stream().map(MessageUpdate::getKind).toList());
    }

    private void question(String clientId, String body) {
        fx.inbound("a1", new SendMessage(clientId, "ann", "ann-phone", body, null, null, List.of(), false));
    }

    private void answer(long questionSeq, String body, boolean failed) {
        fx.inbound("a1", new SendMessage(AssistantUser.answerClientId(questionSeq), ASSISTANT, AssistantUser.DEVICE_ID,
                body, null, questionSeq, List.of(), failed));
    }

    private List<KeyValue<String, Object>> fanOut() {
        return fx.output(fx.topics.userInbound()).readKeyValuesToList().stream()
                .map(kv -> KeyValue.pair(kv.key, payload(kv.value))).toList();
    }

    private static Object payload(UserCommand command) {
        return ((UserEvent) command.getCommand()).getPayload();
    }
}
