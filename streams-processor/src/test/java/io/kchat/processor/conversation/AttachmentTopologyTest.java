package io.kchat.processor.conversation;

import static io.kchat.events.ConversationEventKind.CREATED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kchat.events.Attachment;
import io.kchat.events.ChatMessage;
import io.kchat.events.Ciphertext;
import io.kchat.events.ConversationChanged;
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
import java.nio.file.Path;
import java.util.List;
import org.apache.kafka.streams.KeyValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Attachments (media ids and what the gateway read of them, D14) pass through the conversation side unchanged. */
class AttachmentTopologyTest {

    private static final List<Attachment> FILES = List.of(
            new Attachment("media-1", "image/png", 2048L, "cat.png", 640, 480, null),
            new Attachment("media-2", "audio/ogg", 999L, null, null, null, 4200L));

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
    void attachmentsReachTheTopicAndEveryMembersLogInTheSendsOrder() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob", "carol");
        fanOut();

        fx.inbound("c1", new SendMessage("id-1", "alice", "alice-phone", "", null, null, FILES, false));
        fx.send("c1", "bob", "id-2", "no files");

        List<ChatMessage> messages = fx.messages();
        assertEquals(FILES, messages.get(0).getAttachments());
        assertEquals("", messages.get(0).getBody(), "a message of files only");
        assertEquals(List.of(), messages.get(1).getAttachments());
        List<KeyValue<String, UserCommand>> logged = fanOut().stream()
                .filter(kv -> payload(kv) instanceof ChatMessage m && m.getSeq() == 1L).toList();
        assertEquals(List.of("alice", "bob", "carol"), logged.stream().map(kv -> kv.key).toList());
        logged.forEach(kv -> assertEquals(FILES, ((ChatMessage) payload(kv)).getAttachments(), kv.key));
    }

    @Test
    void aRetriedIdEchoesTheOriginalAttachments() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fanOut();
        fx.inbound("c1", new SendMessage("id-1", "alice", "alice-phone", "", null, null, FILES, false));
        fx.inbound("c1", new SendMessage("id-1", "alice", "alice-phone", "", null, null, FILES.subList(0, 1), false));

        assertEquals(1, fx.messages().size());
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        ChatMessage echo = (ChatMessage) payload(fanOut.getLast());
        assertEquals("alice", fanOut.getLast().key);
        assertEquals(FILES, echo.getAttachments(), "the original, not the retry's");
    }

    @Test
    void theMetadataRecordCountsAttachmentsWithoutNamingThem() {
        fx.conversation("c1", CREATED, 1, "alice", "alice", "bob");
        fx.inbound("c1", new SendMessage("id-1", "alice", "alice-phone", "", null, null, FILES, false));

        List<MessageMeta> meta = fx.output(fx.topics.messageMeta()).readValuesToList();
        assertEquals(List.of(2), meta.stream().map(MessageMeta::getAttachmentCount).toList());
    }

    @Test
    void attachmentsInAnEncryptedConversationAreRefusedAndTakeNoSeq() {
        fx.inbound("c1", new ConversationChanged(CREATED, "alice", null, new ConversationSnapshot("c1",
                ConversationType.DIRECT, null, List.of(new Member("alice", MemberRole.OWNER),
                new Member("bob", MemberRole.MEMBER)), 1L, false, true, null)));
        fanOut();
        Ciphertext sealed = new Ciphertext("x25519-test", "alice-phone",
                List.of(new Envelope("bob", "bob-phone", ByteBuffer.wrap(new byte[] {1}))));

        fx.inbound("c1", new SendMessage("id-1", "alice", "alice-phone", "", sealed, null, FILES, false));
        fx.inbound("c1", new SendMessage("id-2", "alice", "alice-phone", "", sealed, null, List.of(), false));

        assertEquals(List.of(1L), fx.messages().stream().map(ChatMessage::getSeq).toList());
        List<KeyValue<String, UserCommand>> fanOut = fanOut();
        SendRefused refused = (SendRefused) payload(fanOut.getFirst());
        assertEquals("alice", fanOut.getFirst().key);
        assertEquals("id-1", refused.getClientId());
        assertEquals(ConversationCommandProcessor.BAD_REQUEST, refused.getCode());
    }

    private List<KeyValue<String, UserCommand>> fanOut() {
        return fx.output(fx.topics.userInbound()).readKeyValuesToList();
    }

    private static Object payload(KeyValue<String, UserCommand> kv) {
        return ((UserEvent) kv.value.getCommand()).getPayload();
    }
}
